/**
 * A product's events as GS1 EPCIS 2.0 events: creation is an ObjectEvent ADD with bizStep commissioning, a change
 * of owner an ObjectEvent OBSERVE, a sale a TransactionEvent with bizStep retail_selling. Owners appear only as
 * pseudonymous owning parties. Stories, listings and QR codes are not supply-chain visibility events and are left
 * out. Each event's eventID is its CBV 2.0 event hash. A new event type is one entry of MAPPINGS.
 */
import type { ProductEvent } from '../../domain/product/events.ts'
import type { RecordedDomainEvent } from '../../eventlog/domainEvents.ts'
import { itemEpc, partyUrn, transactionUri } from '../../cli/export/identifiers.ts'
import { eventHash, type EpcisEventBody } from './eventHash.ts'

/** The versioned, immutable context (the one the reference hash implementation knows offline). */
export const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'

export type EpcisEvent = EpcisEventBody & { eventID: string; recordTime: string }

export interface Item {
  productId: string
  gtin?: string
  serialNumber: string
}

export interface MappingContext {
  /** The pseudonym of an owner of this item, or null when there is none to give (an erased user). */
  partyOf(userId: string): Promise<string | null>
}

/** Owners named by their pseudonym for one item, from their data keys (none for an erased user). */
export const partiesOfItem = (keys: { find(subjectId: string): Promise<Buffer | null> }, productId: string): MappingContext => ({
  partyOf: async userId => {
    const key = await keys.find(userId)
    return key && partyUrn(key, productId)
  },
})

type Recorded<T extends ProductEvent['type']> = RecordedDomainEvent<Extract<ProductEvent, { type: T }>>
type Mapping<T extends ProductEvent['type']> = (event: Recorded<T>, epcList: string[]) => EpcisEventBody | null

// Our times are UTC ISO strings (toISOString), hence the zero offset.
const at = (eventTime: string) => ({ eventTime, eventTimeZoneOffset: '+00:00' })

/** Each mapped event type, and the change of owner it records (the parties the event names), if any. */
const MAPPINGS: { [T in ProductEvent['type']]?: { owners?: (event: Recorded<T>) => [from: string | null, to: string]; map: Mapping<T> } } = {
  ProductCreated: {
    owners: event => [null, event.data.brandId],
    map: (event, epcList) => ({ type: 'ObjectEvent', ...at(event.data.createdAt), epcList, action: 'ADD', bizStep: 'commissioning', disposition: 'active' }),
  },
  OwnershipTransferred: {
    owners: event => [event.data.fromUserId, event.data.toUserId],
    // A resale's change of owner is appended with its ProductSold, which tells it.
    map: (event, epcList) => (event.data.via === 'resale' ? null : { type: 'ObjectEvent', ...at(event.data.at), epcList, action: 'OBSERVE' }),
  },
  ProductSold: {
    owners: event => [event.data.sellerId, event.data.buyerId],
    map: (event, epcList) => ({
      type: 'TransactionEvent',
      ...at(event.data.soldAt),
      bizTransactionList: [{ type: 'po', bizTransaction: transactionUri(event.data.transactionId) }],
      epcList,
      action: 'ADD',
      bizStep: 'retail_selling',
      disposition: 'retail_sold',
    }),
  },
}

/** The product event types that are EPCIS events. */
export const MAPPED_TYPES = Object.keys(MAPPINGS) as ProductEvent['type'][]

/** The EPCIS event of a product event of `item`, or null for an event that is none. */
export async function toEpcisEvent(event: RecordedDomainEvent<ProductEvent>, item: Item, { partyOf }: MappingContext): Promise<EpcisEvent | null> {
  const mapping = MAPPINGS[event.type] as { owners?: (event: RecordedDomainEvent<ProductEvent>) => [string | null, string]; map: Mapping<ProductEvent['type']> } | undefined
  const body = mapping?.map(event as never, [itemEpc(item)])
  if (!mapping || !body) return null
  const owners = mapping.owners?.(event)
  const parties = owners ? await ownerLists(owners, partyOf) : {}
  const withParties = { ...body, ...parties }
  return { ...withParties, eventID: eventHash(withParties), recordTime: event.metadata.occurredAt }
}

async function ownerLists([from, to]: [string | null, string], partyOf: MappingContext['partyOf']) {
  const [source, destination] = await Promise.all([from === null ? null : partyOf(from), partyOf(to)])
  return {
    ...(source === null ? {} : { sourceList: [{ type: 'owning_party', source }] }),
    ...(destination === null ? {} : { destinationList: [{ type: 'owning_party', destination }] }),
  }
}
