/**
 * How the port's values map to KurrentDB's: event ids, log positions, recorded events.
 */
import { createHash } from 'node:crypto'
import type { AllStreamResolvedEvent, Position, ResolvedEvent } from '@kurrent/kurrentdb-client'
import { isChainedMetadata, type RecordedEvent } from './port.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * KurrentDB event ids are UUIDs and deduplicate retried appends, so the id must follow from the eventId
 * (a ULID in this codebase): a UUID is kept, anything else becomes a UUIDv8 of its SHA-256.
 */
export function toKurrentEventId(eventId: string): string {
  if (UUID.test(eventId)) return eventId.toLowerCase()
  const bytes = createHash('sha256').update(eventId).digest().subarray(0, 16)
  bytes[6] = (bytes[6]! & 0x0f) | 0x80
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/**
 * The $all position of an event, from the port's number. An event written in one append (an implicit
 * transaction, the only kind the gRPC API writes) has equal commit and prepare positions: its own place in
 * the log. KurrentDB's own clients rebuild positions the same way. Valid only at an event's position: the
 * adapter checks a position from outside before it reads from it.
 */
export const toKurrentPosition = (position: number): Position => ({ commit: BigInt(position), prepare: BigInt(position) })

/** Where a read event sits in $all, as KurrentDB says (a sibling of a legacy transaction has commit > prepare). */
export const kurrentPositionOf = (resolved: ResolvedEvent | AllStreamResolvedEvent): Position | undefined =>
  resolved.event?.position ??
  (resolved.commitPosition === undefined ? undefined : { commit: resolved.commitPosition, prepare: resolved.commitPosition })

/** Whether `a` comes after `b` in $all. */
export const isAfter = (a: Position, b: Position): boolean => a.commit > b.commit || (a.commit === b.commit && a.prepare > b.prepare)

/**
 * The port's event, or undefined for an event another program wrote: not JSON, or without this port's
 * chained metadata (a shared server holds such events). Throws for one of ours whose position the port's
 * number cannot carry.
 */
export function toRecordedEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent | undefined {
  const { event } = resolved
  if (!event) throw new Error('KurrentDB returned a link without its event')
  if (!event.isJson || !isJsonObject(event.data) || !isChainedMetadata(event.metadata)) return undefined
  return {
    streamId: event.streamId,
    revision: Number(event.revision),
    position: toPortPosition(kurrentPositionOf(resolved), `${event.streamId}@${event.revision}`),
    type: event.type,
    data: event.data,
    metadata: event.metadata,
  }
}

/** The port's number for an event of ours: its commit position, which must be its prepare position too (one
 *  event, one place; siblings of a legacy transaction share a commit position) and a safe integer. */
export function toPortPosition(position: Position | undefined, what: string): number {
  if (position === undefined) throw new Error(`KurrentDB returned no position for ${what}`)
  const { commit, prepare } = position
  if (commit !== prepare) throw new Error(`${what} has commit position ${commit} but prepare position ${prepare}: not written by this log in one append`)
  if (commit > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`${what} is at position ${commit}, past what a JavaScript number holds exactly`)
  return Number(commit)
}

const isJsonObject = (data: unknown): data is Record<string, unknown> =>
  typeof data === 'object' && data !== null && !Array.isArray(data) && !(data instanceof Uint8Array)
