import t from 'tap'
import type { Decider } from '../domain/decider.ts'
import type { EventLog, NewEvent, ReadStreamOptions } from '../eventlog/port.ts'
import { SqliteEventLog } from '../eventlog/sqlite.ts'
import { handleCommand, StaleRevision } from './handleCommand.ts'
import { loadStream, StreamCache } from '../shared/streamCache.ts'

type Add = { type: 'Add'; data: { by: number; personal?: boolean }; metadata: { actorId: string; roles: readonly string[]; now: string } }
type Added = { type: 'Added'; data: { by: number } } | { type: 'UserRegistered'; data: { by: number } }
type Counter = { total: number; events: number }

const counter: Decider<Add, Added, Counter> = {
  decide: command => [{ type: command.data.personal ? 'UserRegistered' : 'Added', data: { by: command.data.by } }],
  evolve: (state, event) => Object.freeze({ total: state.total + event.data.by, events: state.events + 1 }),
  initialState: () => Object.freeze({ total: 0, events: 0 }),
}

const add = (by: number, personal = false): Add => ({ type: 'Add', data: { by, personal }, metadata: { actorId: 'a', roles: [], now: '2025-01-01T00:00:00.000Z' } })
const metadata = { correlationId: 'c', causationId: 'c' }
let ids = 0
const newEventId = () => `event-${++ids}`

/** The log, counting the events each readStream returns and recording its options. */
function spied(log: EventLog) {
  const reads: { options: ReadStreamOptions | undefined; events: number }[] = []
  const spy: EventLog = {
    readAll: options => log.readAll(options),
    subscribe: options => log.subscribe(options),
    append: (...args) => log.append(...args),
    readStream: async (streamId, options) => {
      const events = await log.readStream(streamId, options)
      reads.push({ options, events: events.length })
      return events
    },
    headPosition: () => log.headPosition(),
    close: () => log.close(),
  }
  return { spy, reads }
}

const raw = (by: number): NewEvent => ({
  type: 'Added',
  data: { by },
  metadata: { eventId: newEventId(), occurredAt: 'x', actorId: 'other', correlationId: 'c', causationId: 'c', schemaVersion: 1 },
})

t.test('a cache hit reads only the events after the cached revision', async t => {
  const log = new SqliteEventLog(':memory:')
  t.teardown(() => log.close())
  const { spy, reads } = spied(log)
  const cache = new StreamCache()
  for (let i = 1; i <= 5; i++) await handleCommand({ log: spy, streamId: 's-1', decider: counter, command: add(i), metadata, newEventId, cache })
  t.same(
    reads.map(read => read.options?.fromRevision),
    [undefined, 1, 2, 3, 4],
    'the first command reads the stream, the next ones from the revision after the cached one',
  )
  t.same(reads.map(read => read.events), [0, 0, 0, 0, 0], 'nothing new was appended in between')
  const result = await handleCommand({ log: spy, streamId: 's-1', decider: counter, command: add(10), metadata, newEventId, cache })
  t.same(result.newState, { total: 25, events: 6 })
  t.equal(result.revision, 5)
  const full = await handleCommand({ log, streamId: 's-1', decider: counter, command: add(0), metadata, newEventId, cache: false })
  t.same(full.newState, { total: 25, events: 7 }, 'the same state as a fold of the whole stream')
})

t.test('an append by another process is read and folded onto the cached state', async t => {
  const log = new SqliteEventLog(':memory:')
  t.teardown(() => log.close())
  const { spy, reads } = spied(log)
  const cache = new StreamCache()
  await handleCommand({ log: spy, streamId: 's-2', decider: counter, command: add(1), metadata, newEventId, cache })
  await log.append('s-2', [raw(100), raw(1000)], 0)
  const result = await handleCommand({ log: spy, streamId: 's-2', decider: counter, command: add(2), metadata, newEventId, cache })
  t.same(reads.at(-1), { options: { fromRevision: 1 }, events: 2 })
  t.same(result.newState, { total: 1103, events: 4 })
  t.equal(result.revision, 3)
  t.rejects(handleCommand({ log: spy, streamId: 's-2', decider: counter, command: add(1), metadata, newEventId, cache, ifMatch: 2 }), StaleRevision, 'If-Match sees the true revision')
})

t.test('a conflict drops the entry and the retry reads the whole stream', async t => {
  const log = new SqliteEventLog(':memory:')
  t.teardown(() => log.close())
  const { spy, reads } = spied(log)
  const cache = new StreamCache()
  await handleCommand({ log: spy, streamId: 's-3', decider: counter, command: add(1), metadata, newEventId, cache })
  await log.append('s-3', [raw(5)], 0)
  // An entry that is wrong but looks current: only a conflict can show it, and then it must not survive.
  cache.set('s-3', { ...cache.get('s-3')!, revision: 1, state: { total: 999, events: 2 } })
  reads.length = 0
  // Another writer appends between this command's read and its append.
  const racing: EventLog = {
    ...spy,
    append: async (streamId, events, expected) => {
      if (reads.length === 1) await log.append(streamId, [raw(7)], 'any')
      return log.append(streamId, events, expected)
    },
  }
  const result = await handleCommand({ log: racing, streamId: 's-3', decider: counter, command: add(20), metadata, newEventId, cache })
  t.same(reads.map(read => read.options), [{ fromRevision: 2 }, undefined], 'the retry reads the stream from the start')
  t.same(result.newState, { total: 1 + 5 + 7 + 20, events: 4 }, 'and folds the true state, not the cached one')
  t.same(cache.get('s-3'), { revision: 3, position: 4, state: result.newState, decider: counter }, 'which is cached')
})

t.test('a race lost at the append under If-Match is a StaleRevision (412), and drops the entry', async t => {
  const log = new SqliteEventLog(':memory:')
  t.teardown(() => log.close())
  const cache = new StreamCache()
  await handleCommand({ log, streamId: 's-4', decider: counter, command: add(1), metadata, newEventId, cache })
  const racing: EventLog = {
    ...spied(log).spy,
    append: async (streamId, events, expected) => {
      await log.append(streamId, [raw(2)], 'any')
      return log.append(streamId, events, expected)
    },
  }
  await t.rejects(
    handleCommand({ log: racing, streamId: 's-4', decider: counter, command: add(1), metadata, newEventId, cache, ifMatch: 0 }),
    StaleRevision,
  )
  t.equal(cache.get('s-4'), undefined)
})

t.test('a stream with personal data is not cached; the cache is bounded', async t => {
  const log = new SqliteEventLog(':memory:')
  t.teardown(() => log.close())
  const cache = new StreamCache(2)
  await handleCommand({ log, streamId: 'p-1', decider: counter, command: add(1, true), metadata, newEventId, cache })
  t.equal(cache.get('p-1'), undefined)
  await handleCommand({ log, streamId: 'p-2', decider: counter, command: add(1), metadata, newEventId, cache })
  t.ok(cache.get('p-2'))
  await log.append('p-2', [{ ...raw(1), type: 'UserRegistered' }], 'any')
  await handleCommand({ log, streamId: 'p-2', decider: counter, command: add(1), metadata, newEventId, cache })
  t.equal(cache.get('p-2'), undefined, 'dropped once a personal event shows up')
  for (const id of ['a', 'b', 'c']) await handleCommand({ log, streamId: id, decider: counter, command: add(1), metadata, newEventId, cache })
  t.equal(cache.size, 2)
  t.equal(cache.get('a'), undefined, 'the least recent went first')
})

t.test('cache: false reads the whole stream every time', async t => {
  const log = new SqliteEventLog(':memory:')
  t.teardown(() => log.close())
  const { spy, reads } = spied(log)
  for (let i = 0; i < 3; i++) await handleCommand({ log: spy, streamId: 's-5', decider: counter, command: add(1), metadata, newEventId, cache: false })
  t.same(reads.map(read => read.options), [undefined, undefined, undefined])
})

t.test('a stream loaded as it was at a revision: from the cache when it is not past it, else from the start', async t => {
  const log = new SqliteEventLog(':memory:')
  t.teardown(() => log.close())
  await log.append('counter-at', [raw(1), raw(2), raw(4), raw(8)], 'no_stream')
  const { spy, reads } = spied(log)
  const cache = new StreamCache()

  const atOne = await loadStream(spy, 'counter-at', counter, cache, { atRevision: 1 })
  t.same([atOne.state, atOne.revision], [{ total: 3, events: 2 }, 1])
  const atThree = await loadStream(spy, 'counter-at', counter, cache, { atRevision: 3 })
  t.same([atThree.state, atThree.revision], [{ total: 15, events: 4 }, 3])
  const atThreeAgain = await loadStream(spy, 'counter-at', counter, cache, { atRevision: 3 })
  t.same(atThreeAgain.state, { total: 15, events: 4 })
  const atZero = await loadStream(spy, 'counter-at', counter, cache, { atRevision: 0 })
  t.same([atZero.state, atZero.revision], [{ total: 1, events: 1 }, 0], 'a cache past the revision is not used')
  t.same(
    reads.map(read => [read.options, read.events]),
    [
      [{ maxCount: 2 }, 2],
      [{ fromRevision: 2, maxCount: 2 }, 2],
      [{ maxCount: 1 }, 1],
    ],
    'the cached revision itself reads nothing',
  )
})
