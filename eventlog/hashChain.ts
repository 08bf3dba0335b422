/**
 * Tamper evidence for the event log. Each event's hash covers the previous event's hash in its stream and
 * the canonical event, so altering, removing or reordering a stored event breaks every later link.
 *
 *   hash = sha256(prevHash + canonicalJson({ streamId, revision, type, data, metadata without prevHash/hash }))
 *
 * The first event of a stream chains from GENESIS_HASH. Both adapters chain on append; `audit verify` checks.
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
  /** revision: not the next revision (an event is missing or out of order); prevHash: does not point at the
   *  previous event's hash; hash: the event's content no longer matches its hash. */
  reason: 'revision' | 'prevHash' | 'hash'
}

/** Checks one event against the hash of the event before it in its stream (GENESIS_HASH for the first). */
export function checkLink(prevHash: string, event: RecordedEvent): BrokenLink | null {
  const at = { streamId: event.streamId, revision: event.revision }
  if (event.metadata.prevHash !== prevHash) return { ...at, reason: 'prevHash' }
  if (event.metadata.hash !== eventHash(prevHash, event.streamId, event.revision, event)) return { ...at, reason: 'hash' }
  return null
}

/** Verifies a whole stream, read forwards from revision 0. Returns the first broken link, or null. */
export function verifyStream(events: readonly RecordedEvent[]): BrokenLink | null {
  let prevHash = GENESIS_HASH
  for (const [index, event] of events.entries()) {
    if (event.revision !== index) return { streamId: event.streamId, revision: event.revision, reason: 'revision' }
    const broken = checkLink(prevHash, event)
    if (broken) return broken
    prevHash = event.metadata.hash
  }
  return null
}
