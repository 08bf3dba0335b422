/**
 * The event log port. Implementations: SQLite (eventlog/sqlite) embedded, KurrentDB (eventlog/kurrentdb) and
 * PostgreSQL (eventlog/postgres), shared by many processes. All pass eventlog/testing/eventLog.contract.ts.
 * Positions are global, increasing, and fit a JS number.
 *
 * The log may hold events this port did not write (another program sharing the server or the file): reads,
 * subscriptions and headPosition skip every event without this port's chained metadata.
 */

export interface EventMetadata {
  /** Also the idempotency key of the append. */
  eventId: string
  occurredAt: string
  actorId: string
  correlationId: string
  causationId: string
  schemaVersion: number
}

/** Tamper evidence: each event's hash covers the previous hash and the canonical event (eventlog/hashChain). */
export interface ChainedMetadata extends EventMetadata {
  prevHash: string
  hash: string
}

export interface NewEvent {
  type: string
  data: Record<string, unknown>
  metadata: EventMetadata
}

export interface RecordedEvent {
  streamId: string
  /** 0-based, gapless within the stream. */
  revision: number
  /** Global position in the whole log. */
  position: number
  type: string
  data: Record<string, unknown>
  metadata: ChainedMetadata
}

export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number

export interface AppendResult {
  /** Revision of the last event now in the stream. */
  nextRevision: number
  /** Position of the last event appended. */
  position: number
}

export interface ReadStreamOptions {
  direction?: 'forwards' | 'backwards'
  /** Inclusive; defaults to the start (forwards) or the end (backwards). */
  fromRevision?: number
  maxCount?: number
}

export interface ReadAllOptions {
  /** Exclusive: events after this position. Defaults to the start of the log. 0 or a position this log
   *  reported; anything else may be refused with InvalidPosition. */
  after?: number
  maxCount?: number
}

export interface SubscribeOptions {
  /** Exclusive checkpoint: the subscription delivers every event after it, then live events as they come.
   *  0 or a position this log reported; anything else may be refused with InvalidPosition. */
  after?: number
  signal?: AbortSignal
}

export interface EventLog {
  /** All or nothing. Throws WrongExpectedRevision when the stream is not at `expected`. Appending events
   *  whose eventIds are already in the stream, in the same order, returns the earlier result instead. */
  append(streamId: string, events: readonly NewEvent[], expected?: ExpectedRevision): Promise<AppendResult>
  /** [] when the stream does not exist. Throws StreamUnreadable for a stream deleted or truncated outside this port. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>
  /** Catch-up, then live; ends when the signal aborts. It may also throw (the server went away) or end by itself
   *  (the server closed it): a long-lived subscriber resumes after the last event it was given
   *  (eventlog/follow.ts). */
  subscribe(options?: SubscribeOptions): AsyncIterable<RecordedEvent>
  /** Position of the last event of this port in the log, 0 when none. */
  headPosition(): Promise<number>
  close(): Promise<void>
}

export class WrongExpectedRevision extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no_stream',
  ) {
    super(`stream ${streamId} is at ${actual}, expected ${expected}`)
    this.name = 'WrongExpectedRevision'
  }
}

/** A position that is no event's in this log: not an integer, negative, past the end, or mid-record. */
export class InvalidPosition extends RangeError {
  constructor(
    readonly position: number,
    reason = 'is not the position of an event in this log',
  ) {
    super(`position ${position} ${reason}`)
    this.name = 'InvalidPosition'
  }
}

/** A stream this port cannot read whole: deleted, or truncated ($maxCount, $maxAge, $tb), by something else. */
export class StreamUnreadable extends Error {
  constructor(
    readonly streamId: string,
    readonly reason: 'deleted' | 'truncated',
  ) {
    super(`stream ${streamId} was ${reason} outside this event log: its history and hash chain are incomplete`)
    this.name = 'StreamUnreadable'
  }
}

/** Throws InvalidPosition unless `position` is a non-negative safe integer. */
export function assertPositionShape(position: number): void {
  if (!Number.isSafeInteger(position) || position < 0) throw new InvalidPosition(position, 'is not a non-negative integer')
}

/** Whether an event's metadata is this port's (an eventId and a hash chain): anything else was written by another program. */
export function isChainedMetadata(metadata: unknown): metadata is ChainedMetadata {
  const fields = metadata as Partial<Record<keyof ChainedMetadata, unknown>> | null
  return typeof fields === 'object' && fields !== null && typeof fields.eventId === 'string' &&
    typeof fields.hash === 'string' && typeof fields.prevHash === 'string'
}

/** The log's server cannot be reached: nothing was written, or nothing can be said of it. Its kind answers 503
 *  (http/errors.ts): the client may try again shortly. */
export class EventLogUnavailable extends Error {
  readonly kind = 'unavailable'
  constructor(cause: unknown) {
    super('the event log is not answering; try again shortly', { cause })
    this.name = 'EventLogUnavailable'
  }
}
