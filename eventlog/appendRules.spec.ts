import t from 'tap'
import { assertNotEmpty, conflict, earlierResult, retryStart, satisfies } from './appendRules.ts'
import { newEvent } from './testing/eventLog.contract.ts'
import { WrongExpectedRevision } from './port.ts'

const notSearched = () => {
  throw new Error('only any and stream_exists look the first eventId up')
}

t.test('retryStart: where an earlier copy of the batch would be', async t => {
  t.equal(retryStart('no_stream', -1, notSearched), undefined, 'no_stream, no stream: a new append')
  t.equal(retryStart('no_stream', 3, notSearched), 0, 'no_stream, the stream exists: from its start')
  t.equal(retryStart(3, 3, notSearched), undefined, 'at the expected revision: a new append')
  t.equal(retryStart(5, 3, notSearched), undefined, 'ahead of the stream: no earlier copy possible')
  t.equal(retryStart(1, 3, notSearched), 2, 'the stream moved on: right after the expected revision')
  t.equal(retryStart('any', 3, () => 1), 1, 'any: where the first eventId is')
  t.equal(retryStart('stream_exists', 3, () => undefined), undefined, 'stream_exists, eventId unknown: a new append')
})

t.test('earlierResult: the batch must be there whole, in order', async t => {
  const batch = [newEvent('A'), newEvent('B')]
  const stored = batch.map((event, index) => ({ revision: 4 + index, position: 40 + index, eventId: event.metadata.eventId }))
  t.same(earlierResult(batch, stored), { nextRevision: 5, position: 41 })
  t.equal(earlierResult(batch, stored.slice(0, 1)), undefined, 'only part of it was stored')
  t.equal(earlierResult(batch, [...stored].reverse()), undefined, 'another order')
  t.equal(earlierResult([batch[0]!, newEvent('C')], stored), undefined, 'a different second event')
})

t.test('satisfies', async t => {
  t.ok(satisfies('any', -1) && satisfies('any', 2))
  t.ok(satisfies('no_stream', -1) && !satisfies('no_stream', 0))
  t.ok(satisfies('stream_exists', 0) && !satisfies('stream_exists', -1))
  t.ok(satisfies(2, 2) && !satisfies(2, 1) && !satisfies(2, 3) && !satisfies(0, -1))
})

t.test('conflict and empty appends', async t => {
  t.match(conflict('s', 1, -1), { streamId: 's', expected: 1, actual: 'no_stream' })
  t.match(conflict('s', 'no_stream', 4), { actual: 4 })
  t.ok(conflict('s', 1, 4) instanceof WrongExpectedRevision)
  t.throws(() => assertNotEmpty('s', []), RangeError)
})
