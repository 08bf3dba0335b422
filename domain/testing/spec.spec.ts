import t from 'tap'
import type { Decider, DomainCommand, DomainEvent } from '../decider.ts'
import { Conflict, NotFound } from '../errors.ts'
import { spec } from './spec.ts'

type Opened = DomainEvent<'Opened', { id: string }>
type Open = DomainCommand<'Open', { id: string }>

const counter: Decider<Open, Opened, { open: boolean }> = {
  initialState: () => ({ open: false }),
  evolve: () => ({ open: true }),
  decide: (command, state) => {
    if (state.open) throw new Conflict('already open')
    return command.data.id === 'quiet' ? [] : [{ type: 'Opened', data: { id: command.data.id } }]
  },
}

const open = (id: string): Open => ({ type: 'Open', data: { id }, metadata: { actorId: 'u', roles: [], now: '2024-01-01T00:00:00Z' } })
const opened: Opened = { type: 'Opened', data: { id: 'a' } }
const given = spec(counter).given

t.test('passes when the decided events match', async () => {
  given([]).when(open('a')).then([opened])
  given([]).when(open('quiet')).thenNothingHappened()
  given([opened]).when(open('b')).thenThrows(Conflict, 'already')
})

t.test('fails on other events', async t => {
  t.throws(() => given([]).when(open('b')).then([opened]))
  t.throws(() => given([]).when(open('a')).thenNothingHappened())
})

t.test('fails when nothing is thrown, or the wrong error or message', async t => {
  t.throws(() => given([]).when(open('a')).thenThrows(Conflict), /expected Conflict, but decided/)
  t.throws(() => given([opened]).when(open('a')).thenThrows(NotFound), /expected NotFound, got Conflict/)
  t.throws(() => given([opened]).when(open('a')).thenThrows(Conflict, 'closed'), /"closed"/)
})

t.test('fails when an unexpected error is thrown for then', async t => {
  t.throws(() => given([opened]).when(open('a')).then([]), Conflict)
})
