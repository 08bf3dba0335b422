import t from 'tap'
import { digitalLinkPath } from '../../domain/product/gtin.ts'
import { qrCodesFor } from '../../qr/codes.ts'
import { appendProductEvents, scenario } from '../testing/app.ts'

const s = await scenario()
t.teardown(() => s.close())
const base = s.ctx.config.publicBaseUrl
const get = (url: string, headers: Record<string, string> = {}) => s.app.inject({ method: 'GET', url, headers })

// A second item of the scenario's model, its serial number every punctuation mark of GS1's CSET 82.
const serialNumber = `a!"%&'()*+,-./:;<=>?`
const productId = s.ctx.newId()
const codes = qrCodesFor(s.ctx.config)
const first = codes.issue({ productId, gtin: s.gtin, serialNumber, nonce: 'first' })
const current = codes.issue({ productId, gtin: s.gtin, serialNumber, nonce: 'second' })
const at = '2024-08-01T00:00:00.000Z'
await s.ctx.waitForPosition(
  await appendProductEvents(s.ctx, productId, [
    {
      actorId: s.brand.userId,
      at,
      event: {
        type: 'ProductCreated',
        data: { productId, brandId: s.brand.userId, brandName: 'Maison Verte', name: 'Camp shirt', description: 'Washed linen', gtin: s.gtin, serialNumber, materials: [{ fibre: 'linen', percent: 100 }], createdAt: at },
      },
    },
    { actorId: s.brand.userId, at, event: { type: 'QrCodeIssued', data: { productId, ...first, issuedAt: at } } },
    { actorId: s.brand.userId, at, event: { type: 'QrCodeRevoked', data: { productId, qrCode: first.qrCode, revokedAt: at } } },
    { actorId: s.brand.userId, at, event: { type: 'QrCodeIssued', data: { productId, ...current, issuedAt: at } } },
  ]),
  5000,
)
const item = digitalLinkPath(s.gtin, serialNumber)
const serial = item.split('/')[4]!
const page = `${base}/p/0${s.gtin}/${serial}`
const linksetLink = (path: string) => `<${base}${path.replaceAll('"', '%22')}?linkType=linkset>; rel="linkset"; type="application/linkset+json"`

t.test('a scan: 307 to the passport page, the query string passed on, a Link to the linkset, any origin allowed', async t => {
  const response = await get(`${item}?q=${current.qrCode}&foo=bar`, { accept: 'text/html,*/*;q=0.8' })
  t.equal(response.statusCode, 307)
  t.equal(response.headers.location, `${page}?q=${current.qrCode}&foo=bar`)
  t.equal(response.headers.link, linksetLink(item))
  t.equal(response.headers['access-control-allow-origin'], '*')
  t.equal((await get(item, { accept: '*/*' })).headers.location, page, 'nothing to pass on')
  t.equal((await get(item)).headers.location, page, 'no Accept at all')
})

t.test('the phone path is one hop: the page it lands on checks the signature', async t => {
  const location = new URL((await get(`${item}?q=${current.qrCode}`, { accept: 'text/html' })).headers.location as string)
  const landed = await get(`${location.pathname}${location.search}`, { accept: 'text/html' })
  t.equal(landed.statusCode, 200)
  t.match(landed.body, /class="verdict authentic"/)
  const revoked = new URL((await get(`${item}?q=${first.qrCode}`, { accept: 'text/html' })).headers.location as string)
  t.match((await get(`${revoked.pathname}${revoked.search}`, { accept: 'text/html' })).body, /class="verdict revoked"/)
  const forged = new URL((await get(`${item}?q=forged`, { accept: 'text/html' })).headers.location as string)
  t.match((await get(`${forged.pathname}${forged.search}`, { accept: 'text/html' })).body, /class="verdict unverified"/, 'a forged code proves nothing')
})

t.test('Accept: application/json keeps giving the scan JSON', async t => {
  const json = await get(`${item}?q=${current.qrCode}`, { accept: 'application/json' })
  t.equal(json.statusCode, 200)
  t.match(json.headers['content-type'], /^application\/json/)
  const api = (await get(`/api/products/${current.qrCode}`)).json()
  t.same({ ...json.json(), authenticity: null }, { ...api, authenticity: null })
  t.equal(json.json().authenticity.status, 'authentic')
  t.equal((await get(`${item}?q=${first.qrCode}`, { accept: 'application/json' })).json().authenticity.status, 'revoked')
  t.equal((await get(`${item}?q=forged`, { accept: 'application/json' })).json().authenticity.status, 'unverified', 'a forged code proves nothing')
})

t.test('linkType picks a link: 307 to it, the other parameters passed on; a type the item lacks is a 404', async t => {
  const traceability = await get(`${item}?linkType=gs1:traceability&q=x`)
  t.equal(traceability.statusCode, 307)
  t.equal(traceability.headers.location, `${base}/api/epcis/events?MATCH_epc=${encodeURIComponent(`https://id.gs1.org${item}`)}&q=x`)
  for (const linkType of ['gs1:pip', 'https://ref.gs1.org/voc/pip', 'https%3A%2F%2Fgs1.org%2Fvoc%2Fpip', 'gs1:defaultLink', 'gs1:verificationService']) {
    t.equal((await get(`${item}?linkType=${linkType}`)).headers.location, page, linkType)
  }
  for (const linkType of ['gs1:nosuchlt', 'gs1:instructions', 'schema:foo']) {
    const missing = await get(`${item}?linkType=${linkType}`)
    t.equal(missing.statusCode, 404, linkType)
    t.match(missing.headers['content-type'], /^application\/problem\+json/)
  }
})

t.test('the linkset: by Accept or by linkType=linkset (or all), the default link and every link type with titles and hreflang', async t => {
  const byAccept = await get(item, { accept: 'application/linkset+json' })
  t.equal(byAccept.statusCode, 200)
  t.match(byAccept.headers['content-type'], /^application\/linkset\+json/)
  t.match(byAccept.headers.link, /rel="http:\/\/www.w3.org\/ns\/json-ld#context"; type="application\/ld\+json"/)
  for (const linkType of ['linkset', 'all']) t.same((await get(`${item}?linkType=${linkType}`)).json(), byAccept.json(), linkType)
  const [entry, ...others] = byAccept.json().linkset
  t.same(others, [])
  t.equal(entry.anchor, `${base}${item}`)
  t.equal(entry.itemDescription, `Camp shirt, serial number ${serialNumber}`)
  t.same(entry['https://ref.gs1.org/voc/defaultLink'], [{ href: page, title: 'Camp shirt · Maison Verte' }])
  t.match(entry['https://ref.gs1.org/voc/pip'], [{ href: page, title: String, type: 'text/html', hreflang: ['en'] }])
  t.match(entry['https://ref.gs1.org/voc/verificationService'], [{ href: page, title: String, type: 'application/json' }])
  t.match(entry['https://ref.gs1.org/voc/traceability'], [{ href: /\/api\/epcis\/events\?MATCH_epc=/, title: String, type: 'application/ld+json' }])
})

t.test('a trailing slash resolves as without it', async t => {
  for (const accept of ['text/html', 'application/linkset+json']) {
    const [slash, none] = [await get(`${item}/?q=1`, { accept }), await get(`${item}?q=1`, { accept })]
    t.equal(slash.statusCode, none.statusCode, accept)
    t.equal(slash.headers.location, none.headers.location, accept)
    t.equal(slash.body, none.body, accept)
  }
})

t.test('what is no Digital Link URI is a 400', async t => {
  for (const path of [`${item}/foo`, `/01/0${s.gtin.slice(0, -1)}0/21/${serial}`, `/01/0${s.gtin}/99/x`, `/01/0${s.gtin}/21/a/10/b`, `/01/0${s.gtin}/21/${'x'.repeat(21)}`, `/01/0${s.gtin}/21/%E2%82%AC`, '/01/123']) {
    const response = await get(path)
    t.equal(response.statusCode, 400, path)
    t.match(response.json(), { status: 400, detail: /^not a GS1 Digital Link URI/, errors: [{ path: '/path' }] }, path)
  }
})

t.test('shorter paths of an issued GTIN walk up to the model page; a GTIN or serial never issued is a 404', async t => {
  for (const path of [`/01/0${s.gtin}`, `/01/0${s.gtin}/10/KL8G`, `/01/0${s.gtin}/22/v1/10/KL8G`, `/01/0${s.gtin}/`]) {
    t.equal((await get(path)).headers.location, `${base}/m/0${s.gtin}`, path)
  }
  const model = await get(`/m/0${s.gtin}`)
  t.equal(model.statusCode, 200)
  t.match(model.body, /<h1>Camp shirt<\/h1>/)
  t.match(model.body, /100% linen/)
  t.match(model.headers['content-security-policy'], /default-src 'none'/)
  t.same((await get(`/01/0${s.gtin}?linkType=linkset`)).json().linkset[0].anchor, `${base}/01/0${s.gtin}`)

  const unknownSerial = await get(`/01/0${s.gtin}/21/other`, { accept: 'text/html' })
  t.equal(unknownSerial.statusCode, 404)
  t.match(unknownSerial.body, /Unknown code/)
  t.equal((await get(`/01/0${s.gtin}/21/other`, { accept: 'application/json' })).json().detail, 'unknown code (possible counterfeit)')
  t.equal((await get('/01/00000000000017')).statusCode, 404, 'a GTIN never issued')
  t.equal((await get('/m/00000000000017')).statusCode, 404)
})

t.test('OPTIONS answers with CORS and the Link to the linkset; HEAD answers like GET', async t => {
  const options = await s.app.inject({ method: 'OPTIONS', url: item, headers: { origin: 'https://ref.gs1.org', 'access-control-request-method': 'GET' } })
  t.equal(options.statusCode, 204)
  t.equal(options.headers['access-control-allow-origin'], '*')
  t.match(options.headers['access-control-allow-methods'], /GET.*HEAD.*OPTIONS/)
  t.equal(options.headers.link, linksetLink(item))
  const head = await s.app.inject({ method: 'HEAD', url: item })
  t.equal(head.statusCode, 307)
  t.equal(head.headers.location, page)
})

t.test('/.well-known/gs1resolver describes the resolver', async t => {
  const response = await get('/.well-known/gs1resolver')
  t.equal(response.statusCode, 200)
  t.equal(response.headers['access-control-allow-origin'], '*')
  t.match(response.json(), { resolverRoot: base, supportedPrimaryKeys: ['01'], supportedLinkType: [{ namespace: 'https://ref.gs1.org/voc/', prefix: 'gs1:' }] })
})

t.test('gs1:instructions: offered once the brand gives care text, a 307 to the public passport view that shows it', async t => {
  const cared = digitalLinkPath(s.gtin, s.serialNumber)
  const linksetOfCared = async () => (await get(`${cared}?linkType=linkset`)).json().linkset[0]
  t.notOk('https://ref.gs1.org/voc/instructions' in (await linksetOfCared()), 'no care text, no link')
  t.equal((await get(`${cared}?linkType=gs1:instructions`)).statusCode, 404)

  const care = 'Wash cold, line dry'
  await s.ctx.waitForPosition(
    await appendProductEvents(s.ctx, s.productId, [
      { actorId: s.brand.userId, at, event: { type: 'PassportDataUpdated', data: { productId: s.productId, care, updatedBy: s.brand.userId, updatedAt: at } } },
    ]),
    5000,
  )
  const view = `${base}/api/products/${s.productId}/passport?view=public`
  const [link, ...more] = (await linksetOfCared())['https://ref.gs1.org/voc/instructions']
  t.same(more, [])
  t.match(link, { href: view, title: /\S/, type: 'application/json' })
  const instructions = await get(`${cared}?linkType=gs1:instructions`)
  t.equal(instructions.statusCode, 307)
  t.equal(instructions.headers.location, view)
  const shown = await get(new URL(view).pathname + new URL(view).search)
  t.equal(shown.statusCode, 200)
  t.equal(shown.json().care, care, 'the page it points at shows the care text')
  t.equal((await get(`${item}?linkType=gs1:instructions`)).statusCode, 404, 'still none for the item without care text')
})
