/**
 * The publisher: a projection that sends every event of the log to the integration bus as it is stored (personal
 * data stays sealed, so erasing a key erases it downstream too), keyed by stream id so one product's events keep
 * their order, with the event id and type alongside. It runs in a runner of its own: the runner records an event
 * as applied only once publish resolved, i.e. once the broker acknowledged it, and a broker outage stalls only
 * the publisher. Events after the saved checkpoint are sent again after a restart: consumers deduplicate.
 */
import type { IntegrationBus, IntegrationMessage } from '../adapters/ports.ts'
import type { RecordedEvent } from '../eventlog/port.ts'
import type { Projection } from './projection.ts'

export const PUBLISHER = 'publisher'

export const toIntegrationMessage = (event: RecordedEvent): IntegrationMessage => ({
  key: event.streamId,
  eventId: event.metadata.eventId,
  type: event.type,
  position: event.position,
  value: JSON.stringify(event),
})

/** The runner asks a projection whether it handles a type; the publisher handles them all. */
const everyType: ReadonlySet<string> = new (class extends Set<string> {
  override has(): boolean {
    return true
  }
})()

export const publisherProjection = (bus: IntegrationBus): Projection => ({
  name: PUBLISHER,
  collections: [],
  handles: everyType,
  project: event => bus.publish([toIntegrationMessage(event)]),
})
