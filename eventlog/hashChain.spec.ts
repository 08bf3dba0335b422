import t from 'tap'
import { GENESIS_HASH, canonicalJson, chain, eventHash, verifyChains } from './hashChain.ts'
import type { EventMetadata, RecordedEvent } from './port.ts'

const metadata = (eventId: string): EventMetadata => ({
  eventId,
  occurredAt: '2025-01-01T00:00:00.000Z',
  actorId: 'user-1',
  correlationId: 'corr-1',
  causationId: 'cause-1',
  schemaVersion: 1,
})

/** A stream of `count` correctly chained events. */
function chainedStream(count: number, streamId = 'product-1'): RecordedEvent[] {
  const events: RecordedEvent[] = []
  let prevHash = GENESIS_HASH
  for (let revision = 0; revision < count; revision++) {
    const event = { type: 'StoryAdded', data: { n: revision, text: `story ${revision}` }, metadata: metadata(`e${revision}`) }
    const chained = chain(prevHash, streamId, revision, event)
    events.push({ ...event, streamId, revision, position: revision + 1, metadata: chained })
    prevHash = chained.hash
  }
  return events
}

t.test('canonicalJson', async t => {
  t.equal(canonicalJson({ b: 1, a: { d: [3, { f: 1, e: 2 }], c: 'x' } }), '{"a":{"c":"x","d":[3,{"e":2,"f":1}]},"b":1}')
  t.equal(canonicalJson({ x: 1, y: 2 }), canonicalJson({ y: 2, x: 1 }), 'key order does not matter')
  t.equal(canonicalJson({ '9': 0, '10': 0, a: 0 }), '{"10":0,"9":0,"a":0}', 'integer-like keys sort as strings too')
  t.equal(canonicalJson({ a: undefined, b: [undefined], c: null }), '{"b":[null],"c":null}', 'undefined as JSON.stringify')
  t.equal(canonicalJson({ at: new Date('2025-01-01T00:00:00Z') }), '{"at":"2025-01-01T00:00:00.000Z"}', 'toJSON applies')
  t.equal(canonicalJson('é\n"'), JSON.stringify('é\n"'), 'strings escape as JSON.stringify')

  const value = { when: new Date(0), nested: { z: [1.5, -0, 1e21], a: undefined }, s: 'ü' }
  t.equal(canonicalJson(JSON.parse(JSON.stringify(value))), canonicalJson(value), 'stable across a JSON round trip')
})

t.test('chain links each event to the one before it', async t => {
  const [first, second] = chainedStream(2)
  t.equal(first!.metadata.prevHash, GENESIS_HASH, 'the first event chains from genesis')
  t.match(first!.metadata.hash, /^[0-9a-f]{64}$/)
  t.equal(second!.metadata.prevHash, first!.metadata.hash)
  t.equal(first!.metadata.eventId, 'e0', 'the rest of the metadata is kept')

  const rechained = chain(GENESIS_HASH, first!.streamId, 0, first!)
  t.same(rechained, first!.metadata, 'an event that already carries a link hashes as if it did not')
})

t.test('the hash covers the previous hash and every part of the event', async t => {
  const event = { type: 'StoryAdded', data: { n: 1 }, metadata: metadata('e1') }
  const base = eventHash(GENESIS_HASH, 'product-1', 0, event)
  t.equal(eventHash(GENESIS_HASH, 'product-1', 0, { ...event, data: { n: 1 } }), base, 'deterministic')
  const changed = {
    prevHash: eventHash('f'.repeat(64), 'product-1', 0, event),
    streamId: eventHash(GENESIS_HASH, 'product-2', 0, event),
    revision: eventHash(GENESIS_HASH, 'product-1', 1, event),
    type: eventHash(GENESIS_HASH, 'product-1', 0, { ...event, type: 'StoryRemoved' }),
    data: eventHash(GENESIS_HASH, 'product-1', 0, { ...event, data: { n: 2 } }),
    metadata: eventHash(GENESIS_HASH, 'product-1', 0, { ...event, metadata: { ...event.metadata, actorId: 'user-2' } }),
  }
  for (const [part, hash] of Object.entries(changed)) t.not(hash, base, `changing ${part} changes the hash`)
})

/** The first broken link, without the event id and position the report also names. */
const brokenLink = async (events: Iterable<RecordedEvent> | AsyncIterable<RecordedEvent>) => {
  const broken = (await verifyChains(events)).broken
  return broken && { streamId: broken.streamId, revision: broken.revision, reason: broken.reason }
}

t.test('verifyChains on one stream', async t => {
  t.equal(await brokenLink(chainedStream(5)), null, 'an intact stream verifies')
  t.equal(await brokenLink([]), null, 'an empty stream verifies')

  const altered = chainedStream(5)
  altered[2] = { ...altered[2]!, data: { n: 2, text: 'rewritten' } }
  t.same(await brokenLink(altered), { streamId: 'product-1', revision: 2, reason: 'hash' }, 'altered content')

  const rehashed = chainedStream(5)
  const forged = { ...rehashed[2]!, data: { n: 2, text: 'rewritten' } }
  rehashed[2] = { ...forged, metadata: chain(rehashed[1]!.metadata.hash, 'product-1', 2, forged) }
  t.same(await brokenLink(rehashed), { streamId: 'product-1', revision: 3, reason: 'prevHash' }, 'a re-hashed alteration breaks the next link')

  const missing = chainedStream(5)
  missing.splice(1, 1)
  t.same(await brokenLink(missing), { streamId: 'product-1', revision: 2, reason: 'revision' }, 'a removed event')

  const renumbered = chainedStream(5)
    .filter(event => event.revision !== 1)
    .map((event, index) => ({ ...event, revision: index }))
  t.same(await brokenLink(renumbered), { streamId: 'product-1', revision: 1, reason: 'prevHash' }, 'a removed event, renumbered')

  const fromTheMiddle = chainedStream(5).slice(2)
  t.same(await brokenLink(fromTheMiddle), { streamId: 'product-1', revision: 2, reason: 'revision' }, 'a stream must start at revision 0')
})

/** Streams interleaved in log order, positions renumbered 1, 2, 3… */
function interleaved(...streams: RecordedEvent[][]): RecordedEvent[] {
  const log: RecordedEvent[] = []
  for (let index = 0; streams.some(stream => index < stream.length); index++) {
    for (const stream of streams) if (index < stream.length) log.push({ ...stream[index]!, position: log.length + 1 })
  }
  return log
}

t.test('verifyChains over the whole log, streamed', async t => {
  const log = interleaved(chainedStream(4, 'product-1'), chainedStream(2, 'user-1'), chainedStream(3, 'product-2'))
  async function* readAll() {
    yield* log
  }
  t.same(await verifyChains(readAll()), { events: 9, streams: 3, lastPosition: 9, broken: null }, 'an intact log, read as an async iterable')

  const reordered = [...log]
  ;[reordered[3], reordered[4]] = [reordered[4]!, reordered[3]!]
  const report = await verifyChains(reordered)
  t.same(report.broken, { ...pick(log[3]!), reason: 'position' }, 'positions must increase')
  t.same([report.events, report.streams, report.lastPosition], [4, 3, 5], 'counts what checked out before the break')

  const tampered = log.map(event => (event.streamId === 'user-1' && event.revision === 1 ? { ...event, type: 'UserErased' } : event))
  const hashBroken = tampered.find(event => event.type === 'UserErased')!
  t.same((await verifyChains(tampered)).broken, { ...pick(hashBroken), reason: 'hash' }, 'names the event by id and position')
})

const pick = ({ streamId, revision, position, metadata }: RecordedEvent) => ({ streamId, revision, eventId: metadata.eventId, position })
