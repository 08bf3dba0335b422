/** A product's history as a GS1 EPCIS 2.0 JSON-LD EPCISDocument, its events as the EPCIS query interface gives them. */
import type { ProductEvent } from '../../domain/product/events.ts'
import type { RecordedEvent } from '../../eventlog/port.ts'
import { toDomainEvent } from '../../eventlog/domainEvents.ts'
import { EPCIS_CONTEXT, toEpcisEvent, type EpcisEvent, type MappingContext } from '../../query-api/epcis/mapping.ts'

export interface EpcisDocument {
  '@context': string[]
  type: 'EPCISDocument'
  schemaVersion: '2.0'
  creationDate: string
  epcisBody: { eventList: EpcisEvent[] }
}

export interface EpcisOptions extends MappingContext {
  creationDate: string
}

export async function epcisDocument(events: readonly RecordedEvent[], { creationDate, partyOf }: EpcisOptions): Promise<EpcisDocument> {
  const history = events.map(event => toDomainEvent<ProductEvent>(event))
  const creation = history.find(event => event.type === 'ProductCreated')
  if (creation?.type !== 'ProductCreated') throw new Error('the history has no ProductCreated event')
  const eventList: EpcisEvent[] = []
  for (const event of history) {
    const mapped = await toEpcisEvent(event, creation.data, { partyOf })
    if (mapped) eventList.push(mapped)
  }
  return { '@context': [EPCIS_CONTEXT], type: 'EPCISDocument', schemaVersion: '2.0', creationDate, epcisBody: { eventList } }
}
