/**
 * A product's history as a GS1 EPCIS 2.0 JSON-LD EPCISDocument: creation is an ObjectEvent ADD with bizStep
 * commissioning, a sale a TransactionEvent with bizStep retail_selling, an accepted lifecycle record an ObjectEvent
 * with its CBV business step (lifecycleSteps.ts), and every change of owner names the owning parties by pseudonym only. Stories, listings and QR codes are not supply-chain visibility events and
 * are left out.
 */
import type { ProductEvent } from '../../domain/product/events.ts'
import type { RecordedEvent } from '../../eventlog/port.ts'
import { toDomainEvent, type RecordedDomainEvent } from '../../eventlog/domainEvents.ts'
import { eventUri, itemEpc, transactionUri } from './identifiers.ts'
import { LIFECYCLE_STEPS } from './lifecycleSteps.ts'

export const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/epcis-context.jsonld'

type EpcisEvent = Record<string, unknown>

export interface EpcisDocument {
  '@context': string[]
  type: 'EPCISDocument'
  schemaVersion: '2.0'
  creationDate: string
  epcisBody: { eventList: EpcisEvent[] }
}

export interface EpcisOptions {
  creationDate: string
  /** The pseudonym of an owner, or null when there is none to give (an erased user). */
  partyOf(userId: string): Promise<string | null>
}

export async function epcisDocument(events: readonly RecordedEvent[], { creationDate, partyOf }: EpcisOptions): Promise<EpcisDocument> {
  const history = events.map(event => toDomainEvent<ProductEvent>(event))
  const creation = history.find(event => event.type === 'ProductCreated')
  if (creation?.type !== 'ProductCreated') throw new Error('the history has no ProductCreated event')
  const epcList = [itemEpc(creation.data)]

  const owners = async (from: string | null, to: string) => {
    const [source, destination] = await Promise.all([from === null ? null : partyOf(from), partyOf(to)])
    return {
      ...(source === null ? {} : { sourceList: [{ type: 'owning_party', source }] }),
      ...(destination === null ? {} : { destinationList: [{ type: 'owning_party', destination }] }),
    }
  }
  // Our times are UTC ISO strings (toISOString), hence the zero offset.
  const when = (event: RecordedDomainEvent<ProductEvent>, eventTime: string) => ({
    eventTime,
    eventTimeZoneOffset: '+00:00',
    recordTime: event.metadata.occurredAt,
    eventID: eventUri(event.metadata.eventId),
  })

  const toEpcis = async (event: RecordedDomainEvent<ProductEvent>): Promise<EpcisEvent | null> => {
    switch (event.type) {
      case 'ProductCreated':
        return {
          type: 'ObjectEvent',
          ...when(event, event.data.createdAt),
          epcList,
          action: 'ADD',
          bizStep: 'commissioning',
          disposition: 'active',
          ...(await owners(null, event.data.brandId)),
        }
      case 'OwnershipTransferred':
        // A resale's or a take-back's change of owner is appended with the event that tells it.
        if (event.data.via === 'resale' || event.data.via === 'take_back') return null
        return { type: 'ObjectEvent', ...when(event, event.data.at), epcList, action: 'OBSERVE', ...(await owners(event.data.fromUserId, event.data.toUserId)) }
      case 'ProductSold':
        return {
          type: 'TransactionEvent',
          ...when(event, event.data.soldAt),
          bizTransactionList: [{ bizTransaction: transactionUri(event.data.transactionId) }],
          epcList,
          action: 'ADD',
          bizStep: 'retail_selling',
          disposition: 'retail_sold',
          ...(await owners(event.data.sellerId, event.data.buyerId)),
        }
      case 'LifecycleAccepted': {
        const { lifecycleId, type, ownerId, partnerId } = event.data
        const record = history.find(recorded => recorded.type === 'LifecycleRecorded' && recorded.data.lifecycleId === lifecycleId)
        const occurredAt = record?.type === 'LifecycleRecorded' ? record.data.occurredAt : event.data.acceptedAt
        const parties = type === 'take_back' ? await owners(ownerId, partnerId) : {}
        return { type: 'ObjectEvent', ...when(event, occurredAt), epcList, action: 'OBSERVE', ...LIFECYCLE_STEPS[type], ...parties }
      }
      default:
        return null
    }
  }

  const eventList: EpcisEvent[] = []
  for (const event of history) {
    const mapped = await toEpcis(event)
    if (mapped) eventList.push(mapped)
  }
  return { '@context': [EPCIS_CONTEXT], type: 'EPCISDocument', schemaVersion: '2.0', creationDate, epcisBody: { eventList } }
}
