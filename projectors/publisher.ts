/**
 * The publisher: a projection that sends every event of the log to the integration bus, keyed by stream id so one
 * product's events keep their order, with the event id and type alongside. It runs in a runner of its own, and sends
 * the events it has projected together when the runner commits, one send after the other: the checkpoint moves only
 * once the broker acknowledged them, and a broker outage stalls only the publisher. Events after the saved
 * checkpoint are sent again, in order, after a restart or a failed send (what was not sent is dropped): consumers
 * deduplicate.
 *
 * What leaves is the event as stored, with its secrets taken out: personal data stays sealed (erasing a key erases
 * it downstream too), and no consumer ever gets a field it could misuse (see `SECRET_FIELDS`). Given an event read
 * through the decrypting log by mistake, it drops the opened personal fields rather than send them in clear.
 */
import { personalFieldsOf } from '../adapters/personalData.ts'
import type { IntegrationBus, IntegrationMessage } from '../adapters/ports.ts'
import type { RecordedEvent } from '../eventlog/port.ts'
import type { Projection } from './projection.ts'

export const PUBLISHER = 'publisher'

/**
 * Never published, whatever the event: a claim-code or proof hash, a payment reference, the keyed
 * hash of an email (it confirms a guessed address), and a password hash from events stored before it was sealed.
 */
export const SECRET_FIELDS: ReadonlySet<string> = new Set(['claimCodeHash', 'proofHash', 'paymentReference', 'emailHash', 'passwordHash'])

/** The event as consumers may see it. */
export const publicForm = (event: RecordedEvent): RecordedEvent => {
  const personal = personalFieldsOf(event.type)
  const data = Object.fromEntries(Object.entries(event.data).filter(([field]) => !SECRET_FIELDS.has(field) && !personal.includes(field)))
  return { ...event, data }
}

export const toIntegrationMessage = (event: RecordedEvent): IntegrationMessage => ({
  key: event.streamId,
  eventId: event.metadata.eventId,
  type: event.type,
  position: event.position,
  value: JSON.stringify(publicForm(event)),
})

/** The runner asks a projection whether it handles a type; the publisher handles them all. */
const everyType: ReadonlySet<string> = new (class extends Set<string> {
  override has(): boolean {
    return true
  }
})()

export function publisherProjection(bus: IntegrationBus): Projection {
  let unsent: IntegrationMessage[] = []
  return {
    name: PUBLISHER,
    collections: [],
    handles: everyType,
    project: async event => {
      unsent.push(toIntegrationMessage(event))
    },
    flush: async () => {
      if (unsent.length === 0) return
      const messages = unsent
      unsent = []
      await bus.publish(messages)
    },
    discard: () => {
      unsent = []
    },
  }
}
