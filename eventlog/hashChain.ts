/**
 * Tamper evidence for the event log. Each event's hash covers the previous event's hash in its stream and
 * the canonical event, so altering, removing or reordering a stored event breaks every later link.
 *
 *   hash = sha256(prevHash + canonicalJson({ streamId, revision, type, data, metadata without prevHash/hash }))
 *
 * The first event of a stream chains from GENESIS_HASH. Both adapters chain on append; verifyChains checks, for
 * `audit verify` and the tests.
 */
import { createHash } from 'node:crypto'
import type { ChainedMetadata, EventMetadata, NewEvent, RecordedEvent } from './port.ts'

export const GENESIS_HASH = '0'.repeat(64)

/**
 * JSON with object keys sorted by UTF-16 code units and no whitespace (the key order of RFC 8785). Values
 * serialize as JSON.stringify would (toJSON applied, undefined members dropped), so an event hashes the same
 * before it is stored and after it is parsed back.
 */
export function canonicalJson(value: unknown): string {
  return serialize(value) ?? 'null'
}

function serialize(value: unknown): string | undefined {
  if (typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return serialize((value as { toJSON(): unknown }).toJSON())
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) as string | undefined
  const members: string[] = []
  for (const key of Object.keys(value).sort()) {
    const member = serialize((value as Record<string, unknown>)[key])
    if (member !== undefined) members.push(`${JSON.stringify(key)}:${member}`)
  }
  return `{${members.join(',')}}`
}

export function eventHash(prevHash: string, streamId: string, revision: number, event: NewEvent): string {
  const canonical = canonicalJson({ streamId, revision, type: event.type, data: event.data, metadata: unchained(event.metadata) })
  return createHash('sha256').update(prevHash).update(canonical).digest('hex')
}

/** The metadata to store with the event at `revision`, linked to the hash of the event before it. */
export function chain(prevHash: string, streamId: string, revision: number, event: NewEvent): ChainedMetadata {
  return { ...unchained(event.metadata), prevHash, hash: eventHash(prevHash, streamId, revision, event) }
}

/** The metadata without its own link, whether or not it was ever chained. */
function unchained(metadata: EventMetadata): EventMetadata {
  const { prevHash: _prevHash, hash: _hash, ...rest } = metadata as Partial<ChainedMetadata>
  return rest as EventMetadata
}

export interface BrokenLink {
  streamId: string
  revision: number
  eventId: string
  position: number
  /** position: not after the previous event of the log; revision: not the next revision of its stream (an event
   *  is missing or out of order); prevHash: does not point at the previous event's hash; hash: the event's
   *  content no longer matches its hash. */
  reason: 'position' | 'revision' | 'prevHash' | 'hash'
}

export interface ChainReport {
  /** Checked and found linked, before the first broken link if any. */
  events: number
  streams: number
  /** Of the last event found linked; 0 when none was. */
  lastPosition: number
  broken: BrokenLink | null
}

/**
 * Walks events as stored, in log order (the whole log from readAll, or one stream), and checks what the chain
 * promises: positions increase, each stream's revisions run 0, 1, 2… without a gap, and each event links to the
 * hash of the one before it in its stream and still matches its own hash. Stops at the first broken link.
 * Streams through the events, keeping only the head of each stream.
 */
export async function verifyChains(events: AsyncIterable<RecordedEvent> | Iterable<RecordedEvent>): Promise<ChainReport> {
  const heads = new Map<string, { revision: number; hash: string }>()
  let count = 0
  let lastPosition = 0
  for await (const event of events) {
    const head = heads.get(event.streamId)
    const reason = brokenReason(event, head?.revision ?? -1, head?.hash ?? GENESIS_HASH, lastPosition)
    if (reason) {
      const { streamId, revision, position } = event
      return { events: count, streams: heads.size, lastPosition, broken: { streamId, revision, eventId: event.metadata.eventId, position, reason } }
    }
    heads.set(event.streamId, { revision: event.revision, hash: event.metadata.hash })
    count++
    lastPosition = event.position
  }
  return { events: count, streams: heads.size, lastPosition, broken: null }
}

function brokenReason(event: RecordedEvent, prevRevision: number, prevHash: string, prevPosition: number): BrokenLink['reason'] | null {
  if (event.position <= prevPosition) return 'position'
  if (event.revision !== prevRevision + 1) return 'revision'
  if (event.metadata.prevHash !== prevHash) return 'prevHash'
  if (event.metadata.hash !== eventHash(prevHash, event.streamId, event.revision, event)) return 'hash'
  return null
}
