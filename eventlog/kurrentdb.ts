/**
 * The production event log on KurrentDB (`@kurrent/kurrentdb-client`). Streams map one to one; the port's
 * position is the event's commit position in $all; system events ($-types) are left out of reads.
 *
 * An append reads the stream's head first (its revision, and its hash to chain from), then appends at exactly
 * that revision: two writers can never chain from the same event, so a stream's chain cannot fork.
 */
import { addAbortSignal } from 'node:stream'
import {
  BACKWARDS,
  END,
  FORWARDS,
  KurrentDBClient,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
} from '@kurrent/kurrentdb-client'
import { assertNotEmpty, conflict, earlierResult, retryStart, satisfies } from './appendRules.ts'
import { GENESIS_HASH, chain } from './hashChain.ts'
import { toKurrentEventId, toKurrentPosition, toRecordedEvent } from './kurrentdbMapping.ts'
import type {
  AppendResult,
  EventLog,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
} from './port.ts'

/** Appends with 'any' or 'stream_exists' re-read the head this many times when another writer got there first. */
const MAX_ATTEMPTS = 5

export class KurrentEventLog implements EventLog {
  private readonly client: KurrentDBClient

  /** e.g. `kurrentdb://localhost:2113?tls=false` (EVENTSTORE_URL). */
  constructor(connectionString: string) {
    this.client = KurrentDBClient.connectionString(connectionString)
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision = 'any'): Promise<AppendResult> {
    assertNotEmpty(streamId, events)
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.appendAtHead(streamId, events, expected)
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error
        // The caller did not pin a revision: only the head we chained from moved. Chain from the new one.
        if ((expected === 'any' || expected === 'stream_exists') && attempt < MAX_ATTEMPTS) continue
        throw conflict(streamId, expected, error.actualState === NO_STREAM ? -1 : Number(error.actualState))
      }
    }
  }

  async readStream(
    streamId: string,
    { direction = 'forwards', fromRevision, maxCount }: ReadStreamOptions = {},
  ): Promise<RecordedEvent[]> {
    if (maxCount === 0) return []
    const forwards = direction === 'forwards'
    const reading = this.client.readStream(streamId, {
      direction: forwards ? FORWARDS : BACKWARDS,
      fromRevision: fromRevision === undefined ? (forwards ? START : END) : BigInt(fromRevision),
      maxCount,
    })
    const events: RecordedEvent[] = []
    try {
      for await (const resolved of reading) events.push(toRecordedEvent(resolved))
    } catch (error) {
      if (error instanceof StreamNotFoundError) return []
      throw error
    }
    return events
  }

  async *readAll({ after = 0, maxCount = Infinity }: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    if (maxCount <= 0) return
    const reading = this.client.readAll({
      fromPosition: after > 0 ? toKurrentPosition(after) : START,
      filter: excludeSystemEvents(),
      // Reading from a position includes the event at it: one more, skipped below.
      maxCount: maxCount === Infinity ? undefined : maxCount + 1,
    })
    let delivered = 0
    for await (const resolved of reading) {
      const event = toRecordedEvent(resolved)
      if (event.position <= after) continue
      yield event
      if (++delivered === maxCount) return
    }
  }

  async *subscribe({ after = 0, signal }: SubscribeOptions = {}): AsyncIterable<RecordedEvent> {
    if (signal?.aborted) return
    const subscription = this.client.subscribeToAll({
      fromPosition: after > 0 ? toKurrentPosition(after) : START,
      filter: excludeSystemEvents(),
    })
    if (signal) addAbortSignal(signal, subscription)
    try {
      for await (const resolved of subscription) {
        const event = toRecordedEvent(resolved)
        if (event.position > after) yield event
      }
    } catch (error) {
      // Aborting destroys the stream with an AbortError: the end we asked for.
      if (!signal?.aborted) throw error
    } finally {
      await subscription.unsubscribe()
    }
  }

  async headPosition(): Promise<number> {
    const newest = this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1, filter: excludeSystemEvents() })
    for await (const resolved of newest) return toRecordedEvent(resolved).position
    return 0
  }

  async close(): Promise<void> {
    await this.client.dispose()
  }

  private async appendAtHead(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const pinned = typeof expected === 'number' || expected === 'no_stream'
    // Newest first. Without a pinned revision, a retried batch is looked for among the stream's last events,
    // as KurrentDB itself does for 'any' (best effort, not a guarantee).
    const tail = await this.readStream(streamId, { direction: 'backwards', maxCount: pinned ? 1 : events.length })
    const head = tail[0]
    const current = head?.revision ?? -1

    const firstEventId = events[0]!.metadata.eventId
    const start = retryStart(expected, current, () => tail.find(event => event.metadata.eventId === firstEventId)?.revision)
    if (start !== undefined) {
      const stored = await this.readStream(streamId, { fromRevision: start, maxCount: events.length })
      const earlier = earlierResult(events, stored.map(event => ({ ...event, eventId: event.metadata.eventId })))
      if (earlier) return earlier
      throw conflict(streamId, expected, current)
    }
    if (!satisfies(expected, current)) throw conflict(streamId, expected, current)

    let prevHash = head?.metadata.hash ?? GENESIS_HASH
    const chained = events.map((event, index) => {
      const metadata = chain(prevHash, streamId, current + 1 + index, event)
      prevHash = metadata.hash
      return jsonEvent({ id: toKurrentEventId(metadata.eventId), type: event.type, data: event.data, metadata })
    })
    const appended = await this.client.appendToStream(streamId, chained, {
      streamState: current < 0 ? NO_STREAM : BigInt(current),
    })
    const nextRevision = Number(appended.nextExpectedRevision)
    // The append's answer carries the position of the write, not necessarily of its last event in $all, which
    // is what readAll and subscribe report: read that event back.
    const [last] = await this.readStream(streamId, { fromRevision: nextRevision, maxCount: 1 })
    return { nextRevision, position: last!.position }
  }
}
