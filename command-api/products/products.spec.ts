import { createRequire } from 'node:module'
import t from 'tap'
import { streams } from '../../domain/ids.ts'
import { adminToken, registerUser } from '../../test/testing/harness.ts'
import { call, EUR, isProblem, newProduct, testApp } from '../testing/specSupport.ts'

const { app, ctx } = await testApp(t)
const [brand, otherBrand, consumer] = await Promise.all([
  registerUser(app, { accountType: 'brand', gs1CompanyPrefixes: ['4006381', '00000963', '0012345', '0614141'] }),
  registerUser(app, { accountType: 'brand', gs1CompanyPrefixes: ['5901234'] }),
  registerUser(app),
])
const createProduct = (payload: object, as = brand) => call(app, 'POST', '/products', { as, payload })

t.test('POST /products creates the passport with its first QR code', async t => {
  const created = await createProduct({ name: 'Waxed jacket', materials: [{ fibre: 'cotton', percent: 100 }], madeIn: 'PT', originalPrice: EUR(40_000) })
  t.equal(created.statusCode, 201)
  const { productId, qrCode, qrUrl } = created.json()
  t.match(created.json(), { productId: String, qrCode: String, ownerId: brand.userId, position: /^\d+$/ })
  t.equal(qrUrl, `${ctx.config.publicBaseUrl}/p/${qrCode}`)
  t.equal(created.headers.etag, '"1"', 'ProductCreated and QrCodeIssued')
  const [first] = await ctx.eventLog.readStream(streams.product(productId))
  t.match(first?.data, { brandId: brand.userId, brandName: String, serialNumber: /^[0-9A-F]{16}$/ }, 'a serial number is generated')
})

t.test('a product with a GTIN gets a GS1 Digital Link', async t => {
  const created = await createProduct({ name: 'Tee', gtin: '4006381333931', serialNumber: 'SN-0001' })
  t.equal(created.statusCode, 201)
  t.match(created.json().qrUrl, `${ctx.config.publicBaseUrl}/01/04006381333931/21/SN-0001`)
  const wrongCheckDigit = await createProduct({ name: 'Tee', gtin: '4006381333932' })
  t.ok(isProblem(wrongCheckDigit, 400), 'a wrong check digit')
  t.same(wrongCheckDigit.json().errors, [{ path: '/body/gtin', message: 'is not a GS1 GTIN-8/12/13/14 with a valid check digit' }])
  t.ok(isProblem(await createProduct({ name: 'Tee', gtin: 'ABC' }), 400), 'not digits')
  t.ok(isProblem(await createProduct({ name: 'Tee', gtin: '400638133393' }), 400), 'twelve digits, the check digit wrong for them')
})

t.test('with a GTIN, a serial number is 1 to 20 characters of GS1 CSET 82', async t => {
  for (const serialNumber of ['SN 1', 'SN#1', 'SN~1', 'SN[1]', 'é', 'x'.repeat(21), '']) {
    const refused = await createProduct({ name: 'Tee', gtin: '4006381333931', serialNumber })
    t.ok(isProblem(refused, 400), JSON.stringify(serialNumber))
    t.match(refused.json().errors, [{ path: '/body/serialNumber' }])
  }
  t.equal((await createProduct({ name: 'Tee', serialNumber: 'SN#1' })).statusCode, 201, 'without a GTIN, printable ASCII as before')
})

t.test("every Digital Link minted parses with GS1's digital-link.js, and leads back to its product", async t => {
  const { DigitalLink } = createRequire(import.meta.url)('digital-link.js') as {
    DigitalLink: (url: string) => { isValid(): boolean; getIdentifier(): Record<string, string>; getKeyQualifiers(): Record<string, string> }
  }
  const serials = ['!"%&\'()*+,/:;<=>?', 'A/B%2FC', '50%?q=1&x=2', "O'Neil(1)", 'a-b.c_d', '%41%', '+:+', 'Z']
  for (const [at, serialNumber] of serials.entries()) {
    const gtin = ['4006381333931', '96385074', '012345678905', '10614141000415'][at % 4]!
    const created = await createProduct({ name: 'Tee', gtin, serialNumber })
    t.equal(created.statusCode, 201, serialNumber)
    const { qrUrl, productId, position } = created.json()
    const link = DigitalLink(qrUrl)
    t.ok(link.isValid(), `${qrUrl} is a valid GS1 Digital Link`)
    t.same(link.getIdentifier(), { '01': gtin.padStart(14, '0') })
    t.equal(decodeURIComponent(link.getKeyQualifiers()['21']!), serialNumber, 'the serial, percent-decoded')
    const url = new URL(qrUrl)
    const scanned = await app.inject({ method: 'GET', url: `${url.pathname}${url.search}`, headers: { accept: 'application/json', 'x-min-position': position } })
    t.equal(scanned.statusCode, 200, `${url.pathname} resolves: ${scanned.body.slice(0, 300)}`)
    t.equal(scanned.json().productId, productId, 'to its product')
  }
})

t.test('POST /products refusals', async t => {
  t.ok(isProblem(await createProduct({ name: 'Tee' }, consumer), 403), 'a consumer')
  t.ok(isProblem(await call(app, 'POST', '/products', { payload: { name: 'Tee' } }), 401), 'no token')
  t.ok(isProblem(await createProduct({ name: 'Tee', materials: [{ fibre: 'wool', percent: 90 }] }), 422), 'materials short of 100')
  t.ok(isProblem(await createProduct({ name: 'Tee', originalPrice: { amount: 10.5, currency: 'EUR' } }), 400), 'a fractional amount')
  t.ok(isProblem(await createProduct({ name: 'Tee', originalPrice: { amount: 1000, currency: 'eur' } }), 400), 'a lower-case currency')
})

t.test('collection and design facts come from the collection stream', async t => {
  const { collectionId } = (await call(app, 'POST', '/collections', { as: brand, payload: { name: 'AW25' } })).json()
  const { designId } = (await call(app, 'POST', `/collections/${collectionId}/designs`, { as: brand, payload: { name: 'Coat' } })).json()
  t.equal((await createProduct({ name: 'Coat', collectionId, designId })).statusCode, 201)
  t.ok(isProblem(await createProduct({ name: 'Coat', collectionId, designId: '01NOTADESIGN' }), 422), 'a design from elsewhere')
  t.ok(isProblem(await createProduct({ name: 'Coat', collectionId }, otherBrand), 403), "another brand's collection")
  t.ok(isProblem(await createProduct({ name: 'Coat', collectionId: '01NOSUCHCOLLECTION' }), 422), 'an unknown collection')
})

t.test('POST /products/{productId}/qr', async t => {
  const product = await newProduct(app, brand)
  const url = `/products/${product.productId}/qr`
  const regenerated = await call(app, 'POST', url, { as: brand })
  t.equal(regenerated.statusCode, 201)
  t.match(regenerated.json(), { productId: product.productId, qrCode: String, qrUrl: String, position: /^\d+$/ })
  t.not(regenerated.json().qrCode, product.qrCode)
  t.equal(regenerated.headers.etag, '"3"', 'the old code revoked, a new one issued')

  t.ok(isProblem(await call(app, 'POST', url, { as: consumer }), 403), 'neither the brand nor the owner')
  t.ok(isProblem(await call(app, 'POST', '/products/01NOSUCHPRODUCT/qr', { as: brand }), 404), 'an unknown product')

  const transfer = { productId: product.productId, toUserId: consumer.userId }
  t.equal((await call(app, 'POST', '/ownership/transfer', { as: brand, payload: transfer })).statusCode, 200)
  t.equal((await call(app, 'POST', url, { as: consumer })).statusCode, 201, 'the current owner may')
  t.equal((await call(app, 'POST', url, { as: brand })).statusCode, 201, 'the brand still may')
})

t.test('If-Match pins the product revision', async t => {
  const product = await newProduct(app, brand)
  const url = `/products/${product.productId}/qr`
  t.ok(isProblem(await call(app, 'POST', url, { as: brand, headers: { 'if-match': '"0"' } }), 412), 'a stale revision')
  const current = await call(app, 'POST', url, { as: brand, headers: { 'if-match': product.etag } })
  t.equal(current.statusCode, 201, 'the current revision')
  t.ok(isProblem(await call(app, 'POST', url, { as: brand, headers: { 'if-match': product.etag } }), 412), 'the same revision again is stale')
  t.ok(isProblem(await call(app, 'POST', url, { as: brand, headers: { 'if-match': 'W/"x"' } }), 400), 'not a revision ETag')
})

t.test('a brand account without a brand name is refused, never named after its user', async t => {
  const madeBrand = await registerUser(app, { roles: ['brand'], displayName: 'Private Person' })
  const product = await createProduct({ name: 'Tee' }, madeBrand)
  t.ok(isProblem(product, 403), 'the role alone does not make a verified brand')
  t.equal(product.json().detail, 'only a verified brand can issue products')
  const collection = await call(app, 'POST', '/collections', { as: madeBrand, payload: { name: 'AW25' } })
  t.ok(isProblem(collection, 422), 'nor a collection')
  t.notOk(product.body.includes('Private Person') || collection.body.includes('Private Person'))
})

t.test("a GTIN must be under the brand's prefixes", async t => {
  const outside = await createProduct({ name: 'Tee', gtin: '5901234123457', serialNumber: 'X-1' })
  t.ok(isProblem(outside, 422), "another brand's GTIN")
  t.match(outside.json().detail, "not under any of the brand's GS1 Company Prefixes")
  t.equal((await createProduct({ name: 'Tee', gtin: '5901234123457', serialNumber: 'X-1' }, otherBrand)).statusCode, 201, 'its own brand may')
  const noPrefix = await registerUser(app, { accountType: 'brand' })
  t.equal((await createProduct({ name: 'Tee' }, noPrefix)).statusCode, 201, 'a brand with no prefix issues without a GTIN')
  const refused = await createProduct({ name: 'Tee', gtin: '4006381333931', serialNumber: 'X-2' }, noPrefix)
  t.ok(isProblem(refused, 422))
  t.match(refused.json().detail, 'without a GTIN only')
})

t.test('(gtin, serialNumber) is unique, however the GTIN is written', async t => {
  t.equal((await createProduct({ name: 'Tee', gtin: '4006381333931', serialNumber: 'DUP-1' })).statusCode, 201)
  for (const gtin of ['4006381333931', '04006381333931']) {
    const again = await createProduct({ name: 'Copy', gtin, serialNumber: 'DUP-1' })
    t.ok(isProblem(again, 409), `as ${gtin}`)
    t.match(again.json().detail, 'GTIN and serial number already exists')
  }
  t.equal((await createProduct({ name: 'Tee', gtin: '4006381333931', serialNumber: 'DUP-2' })).statusCode, 201, 'another serial')
  const racing = await Promise.all([1, 2, 3].map(() => createProduct({ name: 'Tee', gtin: '4006381333931', serialNumber: 'RACE-1' })))
  t.same(racing.map(response => response.statusCode).sort(), [201, 409, 409], 'of concurrent creations, one wins')
})

t.test('only a verified brand issues: pending, rejected and revoked brands do not', async t => {
  const pending = await call(app, 'POST', '/auth/register', { payload: { email: `pending-${process.pid}@example.test`, password: 'pending-password', displayName: 'P', accountType: 'brand', brandName: 'Pending Co' } })
  t.equal(pending.statusCode, 201)
  const token = (await call(app, 'POST', '/auth/login', { payload: { email: `pending-${process.pid}@example.test`, password: 'pending-password' } })).json().accessToken
  const asPending = { userId: pending.json().userId, token, email: '', password: '' }
  t.ok(isProblem(await createProduct({ name: 'Tee' }, asPending), 403), 'pending: no role brand yet')

  const revokedBrand = await registerUser(app, { accountType: 'brand' })
  t.equal((await createProduct({ name: 'Tee' }, revokedBrand)).statusCode, 201, 'verified, it issues')
  const revoke = await call(app, 'POST', `/admin/brands/${revokedBrand.userId}/verification`, { as: { ...revokedBrand, token: await adminToken(app) }, payload: { decision: 'reject', reason: 'fakes' } })
  t.equal(revoke.statusCode, 200)
  t.ok(isProblem(await createProduct({ name: 'Tee' }, revokedBrand), 403), 'revoked, at once')
})
