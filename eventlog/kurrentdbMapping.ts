/**
 * How the port's values map to KurrentDB's: event ids, log positions, recorded events.
 */
import { createHash } from 'node:crypto'
import type { AllStreamResolvedEvent, Position, ResolvedEvent } from '@kurrent/kurrentdb-client'
import type { ChainedMetadata, RecordedEvent } from './port.ts'

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
 * the log. KurrentDB's own clients rebuild positions the same way.
 */
export const toKurrentPosition = (position: number): Position => ({ commit: BigInt(position), prepare: BigInt(position) })

export function toRecordedEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent {
  const { event } = resolved
  if (!event) throw new Error('KurrentDB returned a link without its event')
  if (!event.isJson) throw new Error(`${event.streamId}@${event.revision} is not a JSON event: not written by this log`)
  const position = event.position?.commit ?? resolved.commitPosition
  if (position === undefined) throw new Error(`KurrentDB returned no position for ${event.streamId}@${event.revision}`)
  return {
    streamId: event.streamId,
    revision: Number(event.revision),
    position: Number(position),
    type: event.type,
    data: event.data as Record<string, unknown>,
    metadata: event.metadata as unknown as ChainedMetadata,
  }
}
