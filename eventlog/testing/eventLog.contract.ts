/**
 * The event-log contract: one suite that every EventLog implementation passes (eventlog/sqlite.spec.ts,
 * eventlog/kurrentdb.spec.ts). Every test writes to streams of its own (random suffix) and looks only at
 * them, so the suite also runs against a shared server that other tests write to; and every log it opens
 * first receives events from another program (writeForeignEvents), which the port must step over.
 */
import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import { SubscriptionEnded, follow } from '../follow.ts'
import { GENESIS_HASH, verifyChains } from '../hashChain.ts'
import {
  InvalidPosition,
  WrongExpectedRevision,
  isChainedMetadata,
  type EventLog,
  type NewEvent,
  type RecordedEvent,
} from '../port.ts'
import { faultyLog } from './faultyLog.ts'

export interface LogUnderTest {
  log: EventLog
  cleanup: () => Promise<void>
  /** Writes what another program sharing the store would, not through the port: one event that is not JSON
   *  and one JSON event without the port's metadata. */
  writeForeignEvents: () => Promise<void>
}

const TIMEOUT_MS = 10_000

export function eventLogContract(t: Test, name: string, makeLog: () => Promise<LogUnderTest>): void {
  const open = async (t: Test): Promise<EventLog> => {
    const { log, cleanup, writeForeignEvents } = await makeLog()
    t.teardown(cleanup)
    await writeForeignEvents()
    return log
  }

  t.test(`${name} passes the event log contract`, async t => {
    t.test('appends to a new stream with no_stream and reads it back', async t => {
      const log = await open(t)
      const streamId = newStreamId('new')
      const events = [newEvent('ProductCreated', { sku: 'A-1', sizes: ['S', 'M'] }), newEvent('QrIssued', { n: 1 })]

      const result = await log.append(streamId, events, 'no_stream')
      const stored = await log.readStream(streamId)

      t.equal(result.nextRevision, 1)
      t.same(stored.map(event => event.revision), [0, 1])
      t.equal(result.position, stored[1]!.position, 'the result carries the position of the last event')
      for (const [index, event] of stored.entries()) {
        const appended = events[index]!
        t.equal(event.streamId, streamId)
        t.equal(event.type, appended.type)
        t.same(event.data, appended.data)
        t.match(event.metadata, appended.metadata, 'metadata kept, with the chain added')
      }
    })

    t.test('checks the expected revision', async t => {
      t.test('no_stream', async t => {
        const log = await open(t)
        const streamId = newStreamId('no-stream')
        await log.append(streamId, [newEvent('A')], 'no_stream')
        await expectConflict(t, log.append(streamId, [newEvent('B')], 'no_stream'), 'no_stream', 0)
        t.equal((await log.readStream(streamId)).length, 1, 'the refused append wrote nothing')
      })

      t.test('stream_exists', async t => {
        const log = await open(t)
        const streamId = newStreamId('exists')
        await expectConflict(t, log.append(streamId, [newEvent('A')], 'stream_exists'), 'stream_exists', 'no_stream')
        t.same(await log.readStream(streamId), [], 'the refused append wrote nothing')
        await log.append(streamId, [newEvent('A')], 'no_stream')
        t.equal((await log.append(streamId, [newEvent('B')], 'stream_exists')).nextRevision, 1)
      })

      t.test('a revision', async t => {
        const log = await open(t)
        const streamId = newStreamId('revision')
        await expectConflict(t, log.append(streamId, [newEvent('A')], 0), 0, 'no_stream')
        await log.append(streamId, [newEvent('A'), newEvent('B')], 'no_stream')
        t.equal((await log.append(streamId, [newEvent('C')], 1)).nextRevision, 2, 'the current revision')
        await expectConflict(t, log.append(streamId, [newEvent('D')], 1), 1, 2)
        await expectConflict(t, log.append(streamId, [newEvent('D')], 5), 5, 2)
        t.equal((await log.readStream(streamId)).length, 3, 'the refused appends wrote nothing')
      })

      t.test('any', async t => {
        const log = await open(t)
        const streamId = newStreamId('any')
        t.equal((await log.append(streamId, [newEvent('A')], 'any')).nextRevision, 0, 'creates the stream')
        t.equal((await log.append(streamId, [newEvent('B')])).nextRevision, 1, "'any' is the default")
      })
    })

    t.test('treats an append of the same eventIds as a retry', async t => {
      const log = await open(t)
      const streamId = newStreamId('idempotent')
      const created = [newEvent('A'), newEvent('B')]
      const first = await log.append(streamId, created, 'no_stream')
      t.same(await log.append(streamId, created, 'no_stream'), first, 'again with no_stream: the earlier result')

      const next = [newEvent('C')]
      const second = await log.append(streamId, next, 1)
      t.same(await log.append(streamId, next, 1), second, 'again with the same revision: the earlier result')
      t.same(await log.append(streamId, next, 'any'), second, "again with 'any', right after: the earlier result")
      t.equal((await log.readStream(streamId)).length, 3, 'nothing was written twice')

      await expectConflict(t, log.append(streamId, [next[0]!, newEvent('D')], 1), 1, 2)
      t.equal((await log.readStream(streamId)).length, 3, 'a batch that only partly matches conflicts and writes nothing')
    })

    t.test('appends several events atomically', async t => {
      const log = await open(t)
      const streamId = newStreamId('atomic')
      await log.append(streamId, [newEvent('A')], 'no_stream')
      const batch = [newEvent('B'), newEvent('C'), newEvent('D')]

      await expectConflict(t, log.append(streamId, batch, 'no_stream'), 'no_stream', 0)
      t.equal((await log.readStream(streamId)).length, 1, 'a refused batch writes none of its events')

      const result = await log.append(streamId, batch, 0)
      const stored = await log.readStream(streamId)
      t.equal(result.nextRevision, 3)
      t.same(stored.map(event => event.type), ['A', 'B', 'C', 'D'])
      t.ok(increasing(stored.map(event => event.position)), 'positions increase within the batch')
      t.equal(result.position, stored[3]!.position)
    })

    t.test('reads a stream forwards and backwards, from a revision, up to a count', async t => {
      const log = await open(t)
      const streamId = newStreamId('read')
      await log.append(streamId, ['A', 'B', 'C', 'D', 'E'].map(type => newEvent(type)), 'no_stream')
      const revisions = async (options?: Parameters<EventLog['readStream']>[1]) =>
        (await log.readStream(streamId, options)).map(event => event.revision)

      t.same(await revisions(), [0, 1, 2, 3, 4], 'forwards from the start by default')
      t.same(await revisions({ fromRevision: 2 }), [2, 3, 4], 'fromRevision is inclusive')
      t.same(await revisions({ maxCount: 2 }), [0, 1])
      t.same(await revisions({ fromRevision: 1, maxCount: 2 }), [1, 2])
      t.same(await revisions({ fromRevision: 9 }), [], 'past the end')
      t.same(await revisions({ direction: 'backwards' }), [4, 3, 2, 1, 0], 'backwards from the end')
      t.same(await revisions({ direction: 'backwards', fromRevision: 2 }), [2, 1, 0])
      t.same(await revisions({ direction: 'backwards', maxCount: 2 }), [4, 3])
      t.same(await log.readStream(newStreamId('missing')), [], 'a missing stream reads as []')
      t.same(await log.readStream(newStreamId('missing'), { direction: 'backwards' }), [], 'backwards too')
    })

    t.test('reads the whole log in order, after a position', async t => {
      const log = await open(t)
      const [a, b] = [newStreamId('all-a'), newStreamId('all-b')]
      const ours = (events: RecordedEvent[]) => events.filter(event => event.streamId === a || event.streamId === b)
      const before = await log.headPosition()
      const appended = [newEvent('A0'), newEvent('A1'), newEvent('B0'), newEvent('A2')]
      await log.append(a, appended.slice(0, 2), 'no_stream')
      await log.append(b, appended.slice(2, 3), 'no_stream')
      await log.append(a, appended.slice(3), 1)

      const all = ours(await collect(log.readAll({ after: before })))
      t.same(all.map(event => event.type), ['A0', 'A1', 'B0', 'A2'], 'in append order, across streams')
      t.ok(all[0]!.position > before, 'after the position given')
      t.ok(increasing(all.map(event => event.position)), 'positions strictly increase across streams')
      t.same(all.map(event => event.metadata.eventId), appended.map(event => event.metadata.eventId))

      const afterSecond = ours(await collect(log.readAll({ after: all[1]!.position })))
      t.same(afterSecond.map(event => event.type), ['B0', 'A2'], '`after` is exclusive')

      const limited = await collect(log.readAll({ after: before, maxCount: 2 }))
      t.equal(limited.length, 2, 'maxCount')
      t.ok(limited.every(event => event.position > before))

      const head = await log.headPosition()
      t.ok(head >= all[3]!.position, 'the head position covers the last append')
      t.same(ours(await collect(log.readAll({ after: head }))), [], 'nothing of ours after the head')
    })

    t.test('chains every event to the one before it in its stream', async t => {
      const log = await open(t)
      const streamId = newStreamId('chain')
      await log.append(streamId, [newEvent('A', { n: 0 }), newEvent('B', { n: 1 })], 'no_stream')
      await log.append(streamId, [newEvent('C', { n: 2 })], 1)
      const stored = await log.readStream(streamId)

      t.equal(stored[0]!.metadata.prevHash, GENESIS_HASH, 'the first event chains from genesis')
      t.equal(stored[2]!.metadata.prevHash, stored[1]!.metadata.hash, 'the chain continues across appends')
      t.equal((await verifyChains(stored)).broken, null, 'the stream verifies')
      const tampered = stored.map(event => (event.revision === 1 ? { ...event, data: { n: 100 } } : event))
      t.match((await verifyChains(tampered)).broken, { streamId, revision: 1, reason: 'hash' }, 'an altered event does not')
    })

    t.test('subscribe delivers the events after a checkpoint, then live ones, until aborted', async t => {
      const log = await open(t)
      const streamId = newStreamId('subscribe')
      await log.append(streamId, [newEvent('A'), newEvent('B')], 'no_stream')
      const [checkpoint] = await log.readStream(streamId)

      const controller = new AbortController()
      const received: string[] = []
      const consuming = (async () => {
        for await (const event of log.subscribe({ after: checkpoint!.position, signal: controller.signal })) {
          if (event.streamId !== streamId) continue
          received.push(event.type)
          if (received.length === 4) controller.abort()
        }
      })()
      try {
        await waitUntil(() => received.length === 1, 'the history after the checkpoint')
        await log.append(streamId, [newEvent('C')], 1)
        await log.append(streamId, [newEvent('D'), newEvent('E')], 2)
        await within(consuming, 'the live events, then the end of the subscription')
      } finally {
        controller.abort()
      }
      t.same(received, ['B', 'C', 'D', 'E'], 'history from the checkpoint (exclusive), then live, in order')
    })

    t.test('an idle subscription ends as soon as its signal aborts', async t => {
      const log = await open(t)
      const controller = new AbortController()
      const consuming = (async () => {
        for await (const _event of log.subscribe({ after: await log.headPosition(), signal: controller.signal })) {
          // waiting for live events
        }
      })()
      await sleep(100)
      const abortedAt = Date.now()
      controller.abort()
      await within(consuming, 'the end of the subscription')
      t.ok(Date.now() - abortedAt < 1000, 'without waiting for a poll or a timeout')
    })

    t.test('steps over events another program wrote', async t => {
      const { log, cleanup, writeForeignEvents } = await makeLog()
      t.teardown(cleanup)
      const before = await log.headPosition()
      await writeForeignEvents()
      const streamId = newStreamId('foreign')
      const appended = await log.append(streamId, [newEvent('A')], 'no_stream')
      await writeForeignEvents()

      const read = await collect(log.readAll({ after: before }))
      t.ok(read.every(event => isChainedMetadata(event.metadata) && typeof event.data === 'object'), 'readAll gives only events of the port')
      t.same(read.filter(event => event.streamId === streamId).map(event => event.type), ['A'])
      const head = await log.headPosition()
      t.ok(head >= appended.position, 'the head position covers the append')
      t.same(await collect(log.readAll({ after: head })), [], 'nothing of the port after its head, though foreign events follow')

      const controller = new AbortController()
      const delivered: RecordedEvent[] = []
      const consuming = (async () => {
        for await (const event of log.subscribe({ after: before, signal: controller.signal })) {
          delivered.push(event)
          if (event.streamId === streamId) controller.abort()
        }
      })()
      await within(consuming, 'the append, past the foreign events')
      t.ok(delivered.every(event => isChainedMetadata(event.metadata)), 'subscribe gives only events of the port')
    })

    t.test('refuses a position that is no event of the log, or reads after it', async t => {
      const log = await open(t)
      const streamId = newStreamId('positions')
      await log.append(streamId, [newEvent('A'), newEvent('B')], 'no_stream')
      const [a, b] = await log.readStream(streamId)
      const options = (after: number) => ({ after, signal: AbortSignal.timeout(TIMEOUT_MS) })

      for (const after of [-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 2]) {
        await t.rejects(collect(log.readAll({ after })), InvalidPosition, `readAll after ${after}`)
        await t.rejects(collect(log.subscribe(options(after))), InvalidPosition, `subscribe after ${after}`)
      }
      const pastTheEnd = (await log.headPosition()) + 1_000_000_000
      await t.rejects(collect(log.readAll({ after: pastTheEnd })), InvalidPosition, 'readAll past the end')
      await t.rejects(within(collect(log.subscribe(options(pastTheEnd))), 'subscribe past the end'), InvalidPosition)

      // On SQLite a.position + 1 is b's position; on KurrentDB it falls inside a's record.
      const inside = a!.position + 1
      try {
        const after = await within(collect(log.readAll({ after: inside, maxCount: 1_000 })), 'readAll after a non-event position')
        t.ok(after.every(event => event.position > inside), 'only events after it')
        t.equal(after.some(event => event.metadata.eventId === b!.metadata.eventId), b!.position > inside, 'the next event, unless that is where it points')
      } catch (error) {
        t.type(error, InvalidPosition, 'or a clear refusal, never a hang or a raw server error')
      }
      t.same((await collect(log.readAll({ after: a!.position, maxCount: 1 }))).length, 1, "an event's own position is resumed after")
    })

    t.test('a follower gets every event once, in order, though its subscriptions throw and end', async t => {
      const log = await open(t)
      const streamId = newStreamId('follow')
      const before = await log.headPosition()
      const appended = ['A', 'B', 'C', 'D', 'E', 'F'].map(type => newEvent(type))
      await log.append(streamId, appended.slice(0, 3), 'no_stream')
      const faulty = faultyLog(log, [
        { after: 1, fault: 'throw' },
        { after: 0, fault: 'end' },
        { after: 1, fault: 'end' },
        { after: 0, fault: 'throw' },
      ])

      const controller = new AbortController()
      const errors: unknown[] = []
      const received: string[] = []
      const following = (async () => {
        const events = follow(faulty, { after: before, signal: controller.signal, retryMs: { first: 1, max: 5 }, onError: error => errors.push(error) })
        for await (const event of events) {
          if (event.streamId !== streamId) continue
          received.push(event.type)
          if (received.length === appended.length) controller.abort()
        }
      })()
      try {
        await waitUntil(() => faulty.subscriptions >= 5, 'the faults to pass')
        await log.append(streamId, appended.slice(3), 2)
        await within(following, 'the live events after the faults')
      } finally {
        controller.abort()
      }
      t.same(received, ['A', 'B', 'C', 'D', 'E', 'F'], 'no gap, no repeat')
      t.equal(errors.length, 4, 'every failure and unasked end was told')
      t.ok(errors.some(error => error instanceof SubscriptionEnded), 'an end is told as such')
    })

    t.test("an 'any' retry is recognised after the stream moved on", async t => {
      const log = await open(t)
      const streamId = newStreamId('any-retry')
      const batch = [newEvent('A'), newEvent('B')]
      const first = await log.append(streamId, batch, 'any')
      for (let n = 0; n < 3; n++) await log.append(streamId, [newEvent('C')], 'any')
      t.same(await log.append(streamId, batch, 'any'), first, "'any': the earlier result")
      t.same(await log.append(streamId, batch, 'stream_exists'), first, "'stream_exists': the earlier result")
      t.equal((await log.readStream(streamId)).length, 5, 'nothing was written twice')
    })

    t.test("many concurrent 'any' and 'stream_exists' appends all land, chained", async t => {
      const log = await open(t)
      const streamId = newStreamId('any-race')
      await log.append(streamId, [newEvent('Created')], 'no_stream')
      const appends = Array.from({ length: 12 }, (_, n) => log.append(streamId, [newEvent(`E${n}`)], n % 2 === 0 ? 'any' : 'stream_exists'))
      const outcomes = await Promise.allSettled(appends)
      t.same(outcomes.filter(outcome => outcome.status === 'rejected'), [], 'none is refused')
      const stored = await log.readStream(streamId)
      t.equal(stored.length, 13)
      t.equal((await verifyChains(stored)).broken, null, 'the chain did not fork')
    })

    t.test('keeps the largest append the API makes whole: a batch of long multi-byte texts', async t => {
      const log = await open(t)
      const streamId = newStreamId('large')
      // The longest text field takes 10,000 characters; four bytes each in UTF-8, with room to spare (KurrentDB refuses appends over 1 MiB by default).
      const events = Array.from({ length: 5 }, (_, n) => newEvent('StorySubmitted', { n, text: '🧵'.repeat(10_000) }))
      const result = await log.append(streamId, events, 'no_stream')
      const stored = await log.readStream(streamId)
      t.equal(result.nextRevision, 4)
      t.same(stored.map(event => event.data), events.map(event => event.data), 'every character back')
      t.equal((await verifyChains(stored)).broken, null)
    })

    t.test('of concurrent appends at the same revision, exactly one wins', async t => {
      const log = await open(t)
      const streamId = newStreamId('race')
      await log.append(streamId, [newEvent('Created')], 'no_stream')

      const contenders = ['A', 'B', 'C', 'D', 'E'].map(type => log.append(streamId, [newEvent(type)], 0))
      const outcomes = await Promise.allSettled(contenders)

      const winners = outcomes.filter(outcome => outcome.status === 'fulfilled')
      const losers = outcomes.flatMap(outcome => (outcome.status === 'rejected' ? [outcome.reason] : []))
      t.equal(winners.length, 1, 'one append wins')
      t.ok(losers.every(error => error instanceof WrongExpectedRevision), 'the others get WrongExpectedRevision')
      const stored = await log.readStream(streamId)
      t.equal(stored.length, 2)
      t.equal((await verifyChains(stored)).broken, null, 'the chain did not fork')
    })
  })
}

async function expectConflict(
  t: Test,
  append: Promise<unknown>,
  expected: WrongExpectedRevision['expected'],
  actual: WrongExpectedRevision['actual'],
): Promise<void> {
  const message = `expected ${expected}, stream at ${actual}: WrongExpectedRevision`
  try {
    await append
    t.fail(message)
  } catch (error) {
    if (!(error instanceof WrongExpectedRevision)) throw error
    t.match(error, { expected, actual }, message)
  }
}

/** A new event with a fresh eventId, for tests. */
export function newEvent(type: string, data: Record<string, unknown> = {}): NewEvent {
  const id = randomUUID()
  return {
    type,
    data,
    metadata: {
      eventId: id,
      occurredAt: '2025-01-01T00:00:00.000Z',
      actorId: 'contract-actor',
      correlationId: id,
      causationId: id,
      schemaVersion: 1,
    },
  }
}

const newStreamId = (label: string): string => `contract_${label}-${randomUUID()}`

const increasing = (numbers: number[]): boolean => numbers.every((n, i) => i === 0 || n > numbers[i - 1]!)

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = []
  for await (const item of iterable) items.push(item)
  return items
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

async function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), TIMEOUT_MS)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

async function waitUntil(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + TIMEOUT_MS
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(10)
  }
}
