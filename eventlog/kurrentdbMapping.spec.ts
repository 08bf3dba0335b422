import type { AllStreamResolvedEvent, ResolvedEvent } from '@kurrent/kurrentdb-client'
import t from 'tap'
import { isAfter, kurrentPositionOf, toKurrentEventId, toKurrentPosition, toPortPosition, toRecordedEvent } from './kurrentdbMapping.ts'

t.test('toKurrentEventId', async t => {
  t.equal(toKurrentEventId('0B6E3F1C-2D4A-4C8E-9F10-1234567890AB'), '0b6e3f1c-2d4a-4c8e-9f10-1234567890ab', 'a UUID is kept')

  const fromUlid = toKurrentEventId('01JD8X3Q4V6Z7K9M2N5P8R0T1W')
  t.match(fromUlid, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'anything else: a UUIDv8')
  t.equal(toKurrentEventId('01JD8X3Q4V6Z7K9M2N5P8R0T1W'), fromUlid, 'the same for the same eventId, so retries deduplicate')
  t.not(toKurrentEventId('01JD8X3Q4V6Z7K9M2N5P8R0T1X'), fromUlid)
})

t.test('toKurrentPosition', async t => {
  t.same(toKurrentPosition(1234), { commit: 1234n, prepare: 1234n })
})

t.test('toRecordedEvent', async t => {
  const metadata = { eventId: 'e1', prevHash: '0', hash: '1' }
  const recorded = {
    streamId: 'product-1',
    id: '0b6e3f1c-2d4a-4c8e-9f10-1234567890ab',
    isJson: true,
    revision: 3n,
    type: 'StoryAdded',
    created: new Date(0),
    data: { text: 'hello' },
    metadata,
    position: { commit: 4096n, prepare: 4096n },
  }
  const fromAll = { event: recorded, commitPosition: 4096n } as unknown as AllStreamResolvedEvent
  t.same(toRecordedEvent(fromAll), {
    streamId: 'product-1',
    revision: 3,
    position: 4096,
    type: 'StoryAdded',
    data: { text: 'hello' },
    metadata,
  })

  const withoutEventPosition = { event: { ...recorded, position: undefined }, commitPosition: 512n } as unknown as ResolvedEvent
  t.equal(toRecordedEvent(withoutEventPosition)?.position, 512, "falls back on the resolved event's commit position")

  const noPosition = { event: { ...recorded, position: undefined } } as unknown as ResolvedEvent
  t.throws(() => toRecordedEvent(noPosition), /no position/)
  t.throws(() => toRecordedEvent({ commitPosition: 1n } as ResolvedEvent), /link without its event/)

  const foreign = (event: object) => toRecordedEvent({ event: { ...recorded, ...event } } as unknown as ResolvedEvent)
  t.equal(foreign({ isJson: false, data: new Uint8Array([0, 1]), metadata: new Uint8Array() }), undefined, 'a binary event is another program\'s')
  t.equal(foreign({ metadata: { source: 'elsewhere' } }), undefined, 'so is JSON without our chained metadata')
  t.equal(foreign({ metadata: undefined }), undefined, 'or without metadata')
  t.equal(foreign({ data: 'not {json' }), undefined, 'or whose JSON data did not parse (the client hands over the text)')
  t.equal(foreign({ data: [1, 2] }), undefined, 'or whose data is not an object')
  t.equal(foreign({ metadata: { source: 'elsewhere' }, position: { commit: 10n, prepare: 4n } }), undefined, "a legacy transaction's sibling, not ours, is stepped over")

  t.throws(() => foreign({ position: { commit: 4096n, prepare: 4000n } }), /commit position 4096 but prepare position 4000/, 'ours must sit at its own position')
  t.throws(() => foreign({ position: { commit: 2n ** 53n, prepare: 2n ** 53n } }), /past what a JavaScript number holds/)
  t.equal(foreign({ position: { commit: 2n ** 53n - 1n, prepare: 2n ** 53n - 1n } })?.position, Number.MAX_SAFE_INTEGER)
})

t.test('positions in $all', async t => {
  const first = { commit: 100n, prepare: 90n }
  const sibling = { commit: 100n, prepare: 95n }
  t.ok(isAfter(sibling, first), "a legacy transaction's later sibling comes after the first, though they share a commit position")
  t.notOk(isAfter(first, first))
  t.ok(isAfter({ commit: 101n, prepare: 101n }, sibling))
  t.same(kurrentPositionOf({ commitPosition: 7n } as ResolvedEvent), { commit: 7n, prepare: 7n }, 'a link without its event: the commit position')
  t.throws(() => toPortPosition(undefined, 's@0'), /no position for s@0/)
})
