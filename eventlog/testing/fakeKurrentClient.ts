/**
 * A stand-in for the KurrentDB client, for running the adapter's logic where no server can be installed.
 * It encodes the server's behaviour as the client's types, its documentation and the server source say, and
 * no more: it proves the adapter's own arithmetic (paging, skipping, retries, refusals), not the server. The
 * same behaviours are asserted against a live server by eventlog/kurrentdb.spec.ts when EVENTSTORE_URL is set.
 *
 * - $all holds records at spaced positions (commit = prepare), so a number between two is mid-record.
 * - Reading $all forwards from a position includes the event at it, and refuses a position that is no
 *   record's; backwards reads give the events before it. Reads hand out iterators without `return()`,
 *   like the bridge's, and count as open until read to the end.
 * - A subscription delivers the events after its position, then live ones.
 * - An append answers with the position of its first event; appending to a soft-deleted stream continues its
 *   revisions; a tombstoned stream refuses reads and appends; $maxCount and $tb hide a stream's first events.
 */
import { Readable } from 'node:stream'
import { setImmediate as tick } from 'node:timers/promises'
import {
  END,
  NO_STREAM,
  START,
  StreamDeletedError,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AppendResult,
  type AppendStreamState,
  type EventData,
  type KurrentDBClient,
  type Position,
  type ReadPosition,
  type ReadRevision,
} from '@kurrent/kurrentdb-client'

/** Bytes each record takes in the fake transaction file. */
const RECORD_SIZE = 128

interface FakeRecord {
  streamId: string
  id: string
  revision: bigint
  type: string
  isJson: boolean
  data: unknown
  metadata: unknown
  created: Date
  position: Position
}

interface StreamState {
  /** Revision of the last event ever appended; -1 before any. */
  last: number
  tombstoned?: true
  /** Events below this revision are hidden (soft delete, $tb, $maxCount). */
  truncateBefore?: number
  softDeleted?: true
  maxCount?: number
}

export class FakeKurrentClient {
  private readonly all: FakeRecord[] = []
  private readonly streams = new Map<string, StreamState>()
  private readonly subscriptions = new Set<{ stream: Readable; after: Position | typeof START }>()
  /** Reads of $all or of a stream not yet read to the end. */
  openReads = 0
  /** Calls of readStream, to see what an append costs. */
  streamReads = 0

  asClient(): KurrentDBClient {
    return this as unknown as KurrentDBClient
  }

  async appendToStream(streamId: string, events: EventData | EventData[], { streamState = 'any' }: { streamState?: AppendStreamState } = {}): Promise<AppendResult> {
    await tick()
    const state = this.streams.get(streamId) ?? { last: -1 }
    if (state.tombstoned) throw StreamDeletedError.fromStreamName(streamId)
    const visible = state.softDeleted || state.last < 0 ? NO_STREAM : BigInt(state.last)
    const ok =
      streamState === 'any' ||
      (streamState === NO_STREAM && visible === NO_STREAM) ||
      (streamState === 'stream_exists' && visible !== NO_STREAM) ||
      (typeof streamState === 'bigint' && visible === streamState)
    if (!ok) throw new WrongExpectedVersionError(undefined as never, { streamName: streamId, current: visible, expected: streamState } as never)
    delete state.softDeleted
    this.streams.set(streamId, state)
    const written = [events].flat().map(event => this.record(streamId, ++state.last, event))
    for (const { stream, after } of this.subscriptions) for (const record of written) if (after === START || isPast(record, after)) stream.push({ event: record, commitPosition: record.position.commit })
    return { success: true, nextExpectedRevision: BigInt(state.last), position: written[0]!.position }
  }

  readStream(streamId: string, { direction = 'forwards', fromRevision = START, maxCount = Number.MAX_SAFE_INTEGER }: { direction?: string; fromRevision?: ReadRevision; maxCount?: number | bigint } = {}) {
    this.streamReads++
    return this.reading(async () => {
      const state = this.streams.get(streamId)
      if (state?.tombstoned) throw StreamDeletedError.fromStreamName(streamId)
      if (!state || state.softDeleted) throw new StreamNotFoundError(undefined as never, streamId)
      const lowest = Math.max(state.truncateBefore ?? 0, state.maxCount === undefined ? 0 : state.last + 1 - state.maxCount)
      const events = this.all.filter(record => record.streamId === streamId && record.revision >= lowest)
      const forwards = direction === 'forwards'
      if (!forwards) events.reverse()
      const from = fromRevision === START || fromRevision === END ? undefined : fromRevision
      const selected = events.filter(record => from === undefined || (forwards ? record.revision >= from : record.revision <= from))
      return selected.slice(0, Number(maxCount))
    })
  }

  readAll({ direction = 'forwards', fromPosition = START, maxCount = Number.MAX_SAFE_INTEGER, filter }: { direction?: string; fromPosition?: ReadPosition; maxCount?: number | bigint; filter?: unknown } = {}) {
    return this.reading(async () => {
      const records = filter === undefined ? this.all : this.all.filter(record => !record.type.startsWith('$'))
      if (direction === 'forwards') {
        if (typeof fromPosition === 'object' && !this.all.some(record => samePosition(record.position, fromPosition))) throw new Error('Invalid position')
        const from = records.filter(record => fromPosition === START || (fromPosition !== END && !isPast(fromPosition, record.position)))
        return from.slice(0, Number(maxCount))
      }
      const before = records.filter(record => fromPosition === END || (fromPosition !== START && isPast(fromPosition, record.position)))
      return before.reverse().slice(0, Number(maxCount))
    })
  }

  subscribeToAll({ fromPosition = START }: { fromPosition?: ReadPosition } = {}) {
    const stream = new Readable({ objectMode: true, read() {} })
    const after = fromPosition === END ? (this.all.at(-1)?.position ?? START) : fromPosition
    const subscription = { stream, after }
    for (const record of this.all) if (after === START || isPast(record, after)) stream.push({ event: record, commitPosition: record.position.commit })
    this.subscriptions.add(subscription)
    return Object.assign(stream, {
      unsubscribe: async () => {
        this.subscriptions.delete(subscription)
        stream.destroy()
      },
    })
  }

  async getStreamMetadata(streamName: string) {
    const state = this.streams.get(streamName)
    const truncateBefore = state?.softDeleted ? END : state?.truncateBefore
    return { streamName, metadata: truncateBefore === undefined && state?.maxCount === undefined ? undefined : { truncateBefore, maxCount: state?.maxCount } }
  }

  async dispose(): Promise<void> {
    for (const { stream } of this.subscriptions) stream.destroy()
    this.subscriptions.clear()
  }

  /** As another program would: one binary event and one JSON event without this port's metadata. */
  writeForeignEvents(): void {
    const streamId = `foreign-${this.all.length}`
    const state = { last: 1 }
    this.streams.set(streamId, state)
    this.record(streamId, 0, { id: 'f0', type: 'Blob', contentType: 'application/octet-stream', data: new Uint8Array([0, 1, 255]) } as EventData)
    this.record(streamId, 1, { id: 'f1', type: 'Imported', contentType: 'application/json', data: { source: 'elsewhere' }, metadata: { importedBy: 'another tool' } } as EventData)
  }

  tombstone(streamId: string): void {
    this.streams.set(streamId, { ...this.stateOf(streamId), tombstoned: true })
  }

  softDelete(streamId: string): void {
    const state = this.stateOf(streamId)
    this.streams.set(streamId, { ...state, softDeleted: true, truncateBefore: state.last + 1 })
  }

  setMaxCount(streamId: string, maxCount: number): void {
    this.streams.set(streamId, { ...this.stateOf(streamId), maxCount })
  }

  private stateOf(streamId: string): StreamState {
    return this.streams.get(streamId) ?? { last: -1 }
  }

  private record(streamId: string, revision: number, event: EventData): FakeRecord {
    const offset = BigInt((this.all.length + 1) * RECORD_SIZE)
    const metadata = event.metadata instanceof Uint8Array ? JSON.parse(Buffer.from(event.metadata).toString()) : event.metadata
    const record: FakeRecord = {
      streamId,
      id: event.id,
      revision: BigInt(revision),
      type: event.type,
      isJson: event.contentType === 'application/json',
      data: event.data,
      metadata,
      created: new Date(0),
      position: { commit: offset, prepare: offset },
    }
    this.all.push(record)
    return record
  }

  /** The bridge's iterator: batches of events, no return(), open until read to the end. */
  private reading(read: () => Promise<FakeRecord[]>): AsyncIterable<{ event: FakeRecord; commitPosition: bigint }> {
    const fake = this
    let pending: { event: FakeRecord; commitPosition: bigint }[] | undefined
    let state: 'new' | 'open' | 'done' = 'new'
    const close = () => {
      if (state === 'open') fake.openReads--
      state = 'done'
    }
    return {
      [Symbol.asyncIterator]: () => ({
        async next() {
          if (state === 'new') {
            state = 'open'
            fake.openReads++
            await tick()
            try {
              pending = (await read()).map(event => ({ event, commitPosition: event.position.commit }))
            } catch (error) {
              close()
              throw error
            }
          }
          const value = pending?.shift()
          if (value) return { value, done: false }
          close()
          return { value: undefined, done: true }
        },
      }),
    }
  }
}

const samePosition = (a: Position, b: Position): boolean => a.commit === b.commit && a.prepare === b.prepare

/** Whether `record` (or position) lies after `position` in $all. */
function isPast(record: FakeRecord | Position, position: Position): boolean {
  const at = 'position' in record ? record.position : record
  return at.commit > position.commit || (at.commit === position.commit && at.prepare > position.prepare)
}
