/**
 * The state of recently handled streams, kept in process so that a command reads only the events appended
 * since (readStream fromRevision) instead of the whole stream: a stream cache, no snapshots. It is never
 * trusted for the append: handleCommand still appends with the expected revision, so a stale entry can only
 * cost a WrongExpectedRevision, after which the entry is dropped and the stream read afresh.
 *
 * States are immutable (every domain evolve returns a new object), so an entry is shared, never copied.
 * A stream holding personal data (adapters/personalData.ts) is not cached: its state would keep in memory
 * what erasing the subject's key makes unreadable in the log.
 */
import { personalFieldsOf } from '../adapters/personalData.ts'
import { fold, type Decider, type DomainEvent } from '../domain/decider.ts'
import { readDomainEvents } from '../eventlog/domainEvents.ts'
import type { EventLog, ReadStreamOptions } from '../eventlog/port.ts'

export interface CachedStream {
  /** Revision of the last event folded into `state`; -1: the stream did not exist. */
  revision: number
  /** Position of that event; 0 when none. */
  position: number
  state: unknown
  /** The decider that folded it: a stream is only ever handled by one, but a mix-up must not reuse a state. */
  decider: object
}

/** A bounded LRU of stream states (a Map iterates in insertion order: the first key is the least recent). */
export class StreamCache {
  private readonly entries = new Map<string, CachedStream>()

  constructor(readonly maxStreams = 10_000) {}

  get size(): number {
    return this.entries.size
  }

  get(streamId: string): CachedStream | undefined {
    const entry = this.entries.get(streamId)
    if (entry) {
      this.entries.delete(streamId)
      this.entries.set(streamId, entry)
    }
    return entry
  }

  /** Keeps the entry unless a newer one is already there (an older result landing late never wins). */
  set(streamId: string, entry: CachedStream): void {
    const known = this.entries.get(streamId)
    if (known && known.revision > entry.revision) return
    this.entries.delete(streamId)
    this.entries.set(streamId, entry)
    if (this.entries.size > this.maxStreams) this.entries.delete(this.entries.keys().next().value!)
  }

  delete(streamId: string): void {
    this.entries.delete(streamId)
  }

  clear(): void {
    this.entries.clear()
  }
}

/** Whether a stream with an event of this type may be cached. */
export const cacheable = (type: string): boolean => personalFieldsOf(type).length === 0

/** One cache per event log: the same stream id in another log (another test, another file) is another stream. */
const byLog = new WeakMap<EventLog, StreamCache>()

export function streamCacheOf(log: EventLog): StreamCache {
  let cache = byLog.get(log)
  if (!cache) byLog.set(log, (cache = new StreamCache()))
  return cache
}

export interface LoadedStream<State> {
  state: State
  /** -1: the stream does not exist. */
  revision: number
  position: number
  /** Whether the state may be kept in the stream cache (no personal data folded into it). */
  cacheable: boolean
}

export interface LoadOptions {
  /** Read the whole stream, whatever the cache holds. */
  fresh?: boolean
  /** Fold the stream as it was at this revision rather than as it is now. */
  atRevision?: number
}

/**
 * The stream's state, from the cached state and the events after it when `cache` holds the stream at or before
 * the revision wanted (and `fresh` is false); the state loaded is kept in the cache.
 */
export async function loadStream<Event extends DomainEvent, State>(
  log: EventLog,
  streamId: string,
  decider: Decider<never, Event, State>,
  cache: StreamCache | undefined,
  { fresh = false, atRevision }: LoadOptions = {},
): Promise<LoadedStream<State>> {
  const cached = fresh ? undefined : cache?.get(streamId)
  const from = cached && cached.decider === decider && cached.revision <= (atRevision ?? Infinity) ? cached : undefined
  const range: ReadStreamOptions = {}
  if (from) range.fromRevision = from.revision + 1
  if (atRevision !== undefined) range.maxCount = atRevision - (from?.revision ?? -1)
  const recorded = range.maxCount === 0 ? [] : await readDomainEvents<Event>(log, streamId, from || range.maxCount !== undefined ? range : undefined)
  const loaded = {
    state: from ? recorded.reduce(decider.evolve, from.state as State) : fold(decider, recorded),
    revision: from ? from.revision + recorded.length : recorded.length - 1,
    position: recorded.at(-1)?.position ?? from?.position ?? 0,
    cacheable: recorded.every(event => cacheable(event.type)),
  }
  if (loaded.cacheable) cache?.set(streamId, { revision: loaded.revision, position: loaded.position, state: loaded.state, decider })
  else if (cached) cache?.delete(streamId)
  return loaded
}
