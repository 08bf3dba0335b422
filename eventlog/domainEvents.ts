/**
 * The one place where a recorded event becomes a domain event: the log stores `{ type, data }` as plain JSON,
 * the domain folds typed events. An upcaster (an event of an older `schemaVersion` read into today's shape) goes
 * in `toDomainEvent`, so every reader (command side, query side, audit) gets it. The log knows no domain: an event
type here is any `{ type, data }` shape.
 */
import type { EventLog, ReadStreamOptions, RecordedEvent } from './port.ts'

interface DomainEvent {
  type: string
  data: object
}

/** A recorded event typed as one of the domain's events, its position, revision and metadata kept. */
export type RecordedDomainEvent<Event extends DomainEvent> = Omit<RecordedEvent, 'type' | 'data'> & Event

/** Stored events are never rewritten; today every stored shape is the current one. */
export const toDomainEvent = <Event extends DomainEvent>(recorded: RecordedEvent): RecordedDomainEvent<Event> =>
  recorded as unknown as RecordedDomainEvent<Event>

/** A stream's events, typed; [] when the stream does not exist. */
export async function readDomainEvents<Event extends DomainEvent>(
  log: EventLog,
  streamId: string,
  options?: ReadStreamOptions,
): Promise<RecordedDomainEvent<Event>[]> {
  return (await log.readStream(streamId, options)).map(event => toDomainEvent<Event>(event))
}
