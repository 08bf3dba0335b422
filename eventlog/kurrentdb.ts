/**
 * The production event log on KurrentDB (`@kurrent/kurrentdb-client`). Streams map one to one; the port's
 * position is the event's commit position in $all; system events ($-types) and events of other programs
 * (not JSON, or without this port's chained metadata) are left out of reads.
 *
 * An append reads the stream's head first (its revision, and its hash to chain from), then appends at exactly
 * that revision: two writers can never chain from the same event, so a stream's chain cannot fork.
 *
 * The client's reads of a stream or of $all close only once read to the end (the bridge's iterators have no
 * `return()`), so every read here is bounded by a count and read whole before anything is handed on.
 */
import { addAbortSignal } from 'node:stream'
import {
  AccessDeniedError,
  BACKWARDS,
  CancelledError,
  DeadlineExceededError,
  END,
  FORWARDS,
  KurrentDBClient,
  NO_STREAM,
  NotLeaderError,
  START,
  StreamDeletedError,
  StreamNotFoundError,
  StreamTombstonedError,
  UnavailableError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
  type AllStreamResolvedEvent,
  type Position,
  type ReadPosition,
  type ReadRevision,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client'
import { assertNotEmpty, conflict, earlierResult, retryStart, satisfies } from './appendRules.ts'
import { GENESIS_HASH, chain } from './hashChain.ts'
import { isAfter, kurrentPositionOf, toKurrentEventId, toKurrentPosition, toPortPosition, toRecordedEvent } from './kurrentdbMapping.ts'
import {
  InvalidPosition,
  StreamUnreadable,
  assertPositionShape,
  isChainedMetadata,
  type AppendResult,
  type EventLog,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
} from './port.ts'

/** Events per read of $all, and per page of a stream searched for a retried batch. */
const PAGE = 500
/** Events read back from the end of $all to find the last of this port's. */
const HEAD_PAGE = 16

type Resolved = ResolvedEvent | AllStreamResolvedEvent

export class KurrentEventLog implements EventLog {
  private readonly client: KurrentDBClient

  /** e.g. `kurrentdb://localhost:2113?tls=false` (EVENTSTORE_URL), or a client made elsewhere. */
  constructor(connection: string | KurrentDBClient) {
    this.client = typeof connection === 'string' ? KurrentDBClient.connectionString(connection) : connection
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision = 'any'): Promise<AppendResult> {
    assertNotEmpty(streamId, events)
    for (;;) {
      try {
        return await this.appendAtHead(streamId, events, expected)
      } catch (error) {
        if (error instanceof StreamDeletedError || error instanceof StreamTombstonedError) throw new StreamUnreadable(streamId, 'deleted')
        if (!(error instanceof WrongExpectedVersionError)) throw error
        // The caller did not pin a revision: only the head we chained from moved. Chain from the new one; some
        // writer wins each round, so this ends.
        if (expected === 'any' || expected === 'stream_exists') continue
        throw conflict(streamId, expected, error.actualState === NO_STREAM ? -1 : Number(error.actualState))
      }
    }
  }

  async readStream(streamId: string, { direction = 'forwards', fromRevision, maxCount }: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    if (maxCount === 0) return []
    const forwards = direction === 'forwards'
    const from = fromRevision === undefined ? (forwards ? START : END) : BigInt(fromRevision)
    const events = ours(await this.readStreamWhole(streamId, forwards, from, maxCount))
    // $maxCount, $maxAge or $tb set by another program hides the stream's first events: its folds and chain would be wrong.
    if (forwards && events.length > 0 && events[0]!.revision !== (fromRevision ?? 0)) throw new StreamUnreadable(streamId, 'truncated')
    return events
  }

  async *readAll({ after = 0, maxCount = Infinity }: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    let from = await this.startOfRead(after)
    let remaining = maxCount
    while (remaining > 0) {
      // Reading from a position includes the event at it: skipped, as everything up to `from` is.
      const page = await drain(this.client.readAll({ fromPosition: from, maxCount: PAGE, filter: excludeSystemEvents() }))
      for (const resolved of page) {
        const at = kurrentPositionOf(resolved)
        if (at === undefined || (from !== START && !isAfter(at, from))) continue
        const event = toRecordedEvent(resolved)
        if (event === undefined || event.position <= after) continue
        yield event
        if (--remaining === 0) return
      }
      const last = page.at(-1)
      if (page.length < PAGE || last === undefined) return
      from = kurrentPositionOf(last) ?? from
    }
  }

  async *subscribe({ after = 0, signal }: SubscribeOptions = {}): AsyncIterable<RecordedEvent> {
    if (signal?.aborted) return
    const subscription = this.client.subscribeToAll({ fromPosition: await this.startOfRead(after), filter: excludeSystemEvents() })
    if (signal) addAbortSignal(signal, subscription)
    try {
      for await (const resolved of subscription) {
        const event = toRecordedEvent(resolved)
        if (event !== undefined && event.position > after) yield event
      }
      // Ending here without an abort is the server closing the subscription: the caller resumes (eventlog/follow.ts).
    } catch (error) {
      // Aborting destroys the stream with an AbortError: the end we asked for.
      if (!signal?.aborted) throw error
    } finally {
      await subscription.unsubscribe()
    }
  }

  async headPosition(): Promise<number> {
    let from: ReadPosition = END
    for (;;) {
      const page: Resolved[] = await drain(this.client.readAll({ direction: BACKWARDS, fromPosition: from, maxCount: HEAD_PAGE, filter: excludeSystemEvents() }))
      for (const resolved of page) {
        const event = toRecordedEvent(resolved)
        if (event !== undefined) return event.position
      }
      const last = page.at(-1)
      const next: Position | undefined = last && kurrentPositionOf(last)
      if (page.length < HEAD_PAGE || next === undefined) return 0
      from = next
    }
  }

  async close(): Promise<void> {
    await this.client.dispose()
  }

  /**
   * Where a read of $all after `after` starts: START, or `after` itself once the log confirms an event sits
   * exactly there. Any other number would be refused by the server as an invalid position, or wait forever
   * on some versions.
   */
  private async startOfRead(after: number): Promise<Position | typeof START> {
    assertPositionShape(after)
    if (after === 0) return START
    const position = toKurrentPosition(after)
    let found: Resolved | undefined
    try {
      ;[found] = await drain(this.client.readAll({ fromPosition: position, maxCount: 1 }))
    } catch (error) {
      if (isUnreachable(error)) throw error
      throw new InvalidPosition(after, `is refused by KurrentDB (${(error as Error).message})`)
    }
    const at = found && kurrentPositionOf(found)
    if (at === undefined) throw new InvalidPosition(after, 'is past the end of this log')
    if (at.commit !== position.commit || at.prepare !== position.prepare) throw new InvalidPosition(after)
    return position
  }

  /** The stream's events as the client gives them, read to the end; [] when there is no stream. */
  private async readStreamWhole(streamId: string, forwards: boolean, fromRevision: ReadRevision, maxCount?: number): Promise<Resolved[]> {
    try {
      return await drain(this.client.readStream(streamId, { direction: forwards ? FORWARDS : BACKWARDS, fromRevision, maxCount }))
    } catch (error) {
      if (error instanceof StreamNotFoundError) return []
      if (error instanceof StreamDeletedError) throw new StreamUnreadable(streamId, 'deleted')
      throw error
    }
  }

  private async appendAtHead(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const [head] = await this.readStreamWhole(streamId, false, END, 1)
    const current = head?.event ? Number(head.event.revision) : -1
    const headMetadata: unknown = head?.event?.metadata
    if (head && !isChainedMetadata(headMetadata)) throw new Error(`${streamId}@${current} was not written by this log: its chain cannot go on`)
    if (current < 0) await this.assertNotSoftDeleted(streamId)

    const unpinned = expected === 'any' || expected === 'stream_exists'
    const earlierStart = unpinned && current >= 0 ? await this.revisionOf(streamId, events[0]!.metadata.eventId, current) : undefined
    const start = retryStart(expected, current, () => earlierStart)
    if (start !== undefined) {
      const stored = await this.readStream(streamId, { fromRevision: start, maxCount: events.length })
      const earlier = earlierResult(events, stored.map(event => ({ ...event, eventId: event.metadata.eventId })))
      if (earlier) return earlier
      throw conflict(streamId, expected, current)
    }
    if (!satisfies(expected, current)) throw conflict(streamId, expected, current)

    let prevHash = isChainedMetadata(headMetadata) ? headMetadata.hash : GENESIS_HASH
    const chained = events.map((event, index) => {
      const metadata = chain(prevHash, streamId, current + 1 + index, event)
      prevHash = metadata.hash
      return jsonEvent({ id: toKurrentEventId(metadata.eventId), type: event.type, data: event.data, metadata })
    })
    const appended = await this.client.appendToStream(streamId, chained, { streamState: current < 0 ? NO_STREAM : BigInt(current) })
    const nextRevision = Number(appended.nextExpectedRevision)
    return { nextRevision, position: await this.positionOfLast(streamId, nextRevision, events.length, appended.position) }
  }

  /**
   * The position of an append's last event in $all. A lone event's write position is its own (commit and prepare
   * equal); a batch's answer carries the position of the write, which need not be its last event's: read back.
   */
  private async positionOfLast(streamId: string, nextRevision: number, count: number, written: Position | undefined): Promise<number> {
    if (count === 1 && written && written.commit === written.prepare) return toPortPosition(written, `${streamId}@${nextRevision}`)
    const [last] = await this.readStream(streamId, { fromRevision: nextRevision, maxCount: 1 })
    if (last) return last.position
    // Committed, but not readable back (deleted meanwhile): any later position still covers it for readers waiting on it.
    return written ? Number(written.commit) : this.headPosition()
  }

  /** The revision of the event `eventId` in the stream, searched from the head down, page by page, as SQLite's index finds it. */
  private async revisionOf(streamId: string, eventId: string, head: number): Promise<number | undefined> {
    for (let from = head; from >= 0; from -= PAGE) {
      const page = await this.readStream(streamId, { direction: 'backwards', fromRevision: from, maxCount: PAGE })
      const found = page.find(event => event.metadata.eventId === eventId)
      if (found) return found.revision
      if (page.length < PAGE) return undefined
    }
    return undefined
  }

  /** A soft-deleted stream reads as missing, yet a new append continues its old revisions: the chain would not verify. */
  private async assertNotSoftDeleted(streamId: string): Promise<void> {
    const { metadata } = await this.client.getStreamMetadata(streamId)
    if (metadata?.truncateBefore !== undefined) throw new StreamUnreadable(streamId, 'deleted')
  }
}

/** The port's events among those read, in order, without other programs' events. */
function ours(read: readonly Resolved[]): RecordedEvent[] {
  const events: RecordedEvent[] = []
  for (const resolved of read) {
    const event = toRecordedEvent(resolved)
    if (event) events.push(event)
  }
  return events
}

async function drain<T>(reading: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = []
  for await (const item of reading) items.push(item)
  return items
}

/** Failures of reaching the server, as opposed to the server refusing what was asked. */
const isUnreachable = (error: unknown): boolean =>
  error instanceof UnavailableError || error instanceof DeadlineExceededError || error instanceof NotLeaderError ||
  error instanceof AccessDeniedError || error instanceof CancelledError
