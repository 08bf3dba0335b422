/** Builds RecordedEvents for projection tests: positions from 1, revisions per stream, a minute apart. */
import type { RecordedEvent } from '../../eventlog/port.ts'
import type { ProjectedEvent, Recorded } from '../projection.ts'

type Of<Type extends ProjectedEvent['type']> = Extract<ProjectedEvent, { type: Type }>

export class History {
  readonly events: RecordedEvent[] = []
  private readonly revisions = new Map<string, number>()
  private clock = Date.parse('2025-03-01T09:00:00.000Z')

  /** `data` gets the event's time, for the event's own time fields. */
  add<Type extends ProjectedEvent['type']>(streamId: string, type: Type, data: (now: string) => Of<Type>['data']): Recorded<Of<Type>> {
    const now = new Date((this.clock += 60_000)).toISOString()
    const revision = (this.revisions.get(streamId) ?? -1) + 1
    this.revisions.set(streamId, revision)
    const position = this.events.length + 1
    const eventId = `event-${position}`
    const recorded = {
      streamId,
      revision,
      position,
      type,
      data: data(now),
      metadata: { eventId, occurredAt: now, actorId: 'actor', correlationId: eventId, causationId: eventId, schemaVersion: 1, prevHash: '', hash: '' },
    }
    this.events.push(recorded as RecordedEvent)
    return recorded as Recorded<Of<Type>>
  }
}
