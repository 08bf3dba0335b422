/**
 * The event log port. Implementations: SQLite (eventlog/sqlite) embedded, KurrentDB (eventlog/kurrentdb) in
 * production. Both pass eventlog/testing/eventLog.contract.ts. Positions are global, increasing, and fit a JS number.
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
  /** Exclusive: events after this position. Defaults to the start of the log. */
  after?: number
  maxCount?: number
}

export interface SubscribeOptions {
  /** Exclusive checkpoint: the subscription delivers every event after it, then live events as they come. */
  after?: number
  signal?: AbortSignal
}

export interface EventLog {
  /** All or nothing. Throws WrongExpectedRevision when the stream is not at `expected`. Appending events
   *  whose eventIds are already in the stream, in the same order, returns the earlier result instead. */
  append(streamId: string, events: readonly NewEvent[], expected?: ExpectedRevision): Promise<AppendResult>
  /** [] when the stream does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>
  /** Catch-up, then live; ends when the signal aborts. */
  subscribe(options?: SubscribeOptions): AsyncIterable<RecordedEvent>
  /** Position of the last event in the log, 0 when empty. */
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
