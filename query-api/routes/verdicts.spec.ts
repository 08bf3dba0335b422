/** What a scan says of a code, on every path a scan takes: GET /api/products/{qrCode}, /p/{qrCode}, the Digital Link. */
import t from 'tap'
import { adminToken, bearer, registerUser } from '../../test/testing/harness.ts'
import { call, newProduct, testApp } from '../../command-api/testing/specSupport.ts'

const { app, ctx } = await testApp(t, { config: { trustProxy: '127.0.0.1', scanAnomaly: { networks: 5, windowMinutes: 60 } } })
const brand = await registerUser(app, { accountType: 'brand', gs1CompanyPrefixes: ['4006381'] })
const alice = await registerUser(app)
let serials = 0

/** A product with a GTIN, given to Alice, its read models caught up. */
async function product() {
  const created = await newProduct(app, brand, { gtin: '4006381333931', serialNumber: `V-${++serials}` })
  const given = await call(app, 'POST', '/ownership/transfer', { as: brand, payload: { productId: created.productId, toUserId: alice.userId } })
  await ctx.waitForPosition(Number(given.json().position), 5000)
  return { ...created, path: new URL(created.qrUrl).pathname, serial: `V-${serials}` }
}

const from = (address: string) => ({ remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': address } })
const scan = (qrCode: string, address = '198.51.100.7') => app.inject({ method: 'GET', url: `/api/products/${qrCode}`, ...from(address) })
const page = (url: string, accept = 'text/html') => app.inject({ method: 'GET', url, headers: { accept } })
const statusOf = async (response: Promise<{ json(): { authenticity: { status: string } } }>) => (await response).json().authenticity.status

t.test('the current code of a verified brand, signed and not flagged, reads authentic', async t => {
  const p = await product()
  const scanned = (await scan(p.qrCode)).json()
  t.match(scanned, { productId: p.productId, qrCode: p.qrCode, authenticity: { status: 'authentic', checkedAt: String } })
  t.notOk('reason' in scanned.authenticity, 'authentic needs no reason')
  t.equal(await statusOf(page(`${p.path}?q=${p.qrCode}`, 'application/json')), 'authentic', 'through the Digital Link with its signature')
})

t.test('a Digital Link without a valid signature reads unverified, never authentic', async t => {
  const p = await product()
  const stripped = await page(p.path, 'application/json')
  t.equal(stripped.statusCode, 200)
  t.match(stripped.json().authenticity, { status: 'unverified', reason: /scan the code on the label/ })
  const forged = `${p.qrCode.slice(0, -2)}${p.qrCode.endsWith('AA') ? 'BB' : 'AA'}`
  t.equal(await statusOf(page(`${p.path}?q=${forged}`, 'application/json')), 'unverified', 'a forged signature')
  const other = await product()
  t.equal(await statusOf(page(`${p.path}?q=${other.qrCode}`, 'application/json')), 'unverified', "another product's code")
  const resolved = await page(p.path)
  t.equal(resolved.statusCode, 307, 'a browser is sent on to the passport page')
  const passportPage = new URL(String(resolved.headers.location), 'http://localhost')
  const html = await page(`${passportPage.pathname}${passportPage.search}`)
  t.match(html.body, 'Not verified')
  t.match(html.body, 'Scan the code on the label itself')
  t.equal((await page(`/01/04006381333931/21/NO-SUCH-SERIAL`, 'application/json')).statusCode, 404, 'a product we never issued')
  t.equal((await scan(forged)).statusCode, 404, 'a forged code on its own names no product')
})

t.test('a replaced code reads revoked; stripped of its signature, the link still reads unverified', async t => {
  const p = await product()
  const reissued = await call(app, 'POST', `/products/${p.productId}/qr`, { as: alice })
  await ctx.waitForPosition(Number(reissued.json().position), 5000)
  t.match((await scan(p.qrCode)).json().authenticity, { status: 'revoked', reason: /replaced/ })
  t.equal(await statusOf(page(`${p.path}?q=${p.qrCode}`, 'application/json')), 'revoked')
  t.equal(await statusOf(page(p.path, 'application/json')), 'unverified', 'never authentic without the signature')
  t.match((await page(`/p/${p.qrCode}`)).body, 'This code was revoked')
})

t.test("a brand's revoked verification reads unverified_brand on its products, and shows in their history", async t => {
  const fallen = await registerUser(app, { accountType: 'brand', brandName: 'Fallen Label' })
  const created = await newProduct(app, fallen)
  await ctx.waitForPosition(Number(created.position), 5000)
  t.equal(await statusOf(scan(created.qrCode)), 'authentic', 'cached while verified')
  const admin = { ...fallen, token: await adminToken(app) }
  const revoked = await call(app, 'POST', `/admin/brands/${fallen.userId}/verification`, { as: admin, payload: { decision: 'reject', reason: 'counterfeits' } })
  await ctx.waitForPosition(Number(revoked.json().position), 5000)
  t.match((await scan(created.qrCode)).json().authenticity, { status: 'unverified_brand', reason: /no longer, verified/ })
  t.match((await page(`/p/${created.qrCode}`)).body, 'not, or no longer, verified')

  const history = (await app.inject({ method: 'GET', url: `/api/products/${created.productId}/history` })).json()
  const types = history.events.map((event: { type: string }) => event.type)
  t.same(types, ['BrandVerified', 'ProductCreated', 'QrCodeIssued', 'BrandVerificationRevoked'], 'who vouched for the brand, and when that ended')
  t.match(history.events[0], { source: 'brand', data: { userId: fallen.userId, brandName: 'Fallen Label' } })
  t.notOk('verifiedBy' in history.events[0].data, 'not which admin')
  t.match(history.events[3], { source: 'brand', data: { reason: 'counterfeits' } })
})

t.test('a cloned label: scanned from more than 5 networks, it reads suspicious until the code is re-issued', async t => {
  const p = await product()
  for (const address of ['203.0.113.1', '203.0.113.99', '2001:db8:1::1', '2001:db8:1:ffff::2', '198.51.100.1', '192.0.2.1', '192.0.2.2'])
    t.equal(await statusOf(scan(p.qrCode, address)), 'authentic', `${address}: still at most 5 networks`)
  t.equal(await statusOf(scan(p.qrCode, '2001:db8:2::1')), 'authentic', 'the fifth network')
  const sixth = (await scan(p.qrCode, '100.64.0.1')).json()
  t.match(sixth.authenticity, { status: 'suspicious', reason: /too many places/ }, 'the sixth network: flagged at once')
  t.equal(await statusOf(scan(p.qrCode, '203.0.113.1')), 'suspicious', 'from a network seen before too')
  t.equal(await statusOf(page(`${p.path}?q=${p.qrCode}`, 'application/json')), 'suspicious', 'through the Digital Link')
  t.match((await page(`/p/${p.qrCode}`)).body, 'scanned in many places at once')

  const head = await ctx.eventLog.headPosition()
  await ctx.waitForPosition(head, 5000)
  const events = await ctx.eventLog.readStream(`product-${p.productId}`)
  const anomalies = events.filter(event => event.type === 'ScanAnomalyDetected')
  t.equal(anomalies.length, 1, 'recorded once')
  t.match(anomalies[0]?.data, { qrCode: p.qrCode, networks: 6, threshold: 5, windowMinutes: 60, brandId: brand.userId, ownerId: alice.userId })
  t.notMatch(JSON.stringify(anomalies[0]), /\d+\.\d+\.\d+|2001:db8/, 'counts only, never addresses')

  for (const person of [brand, alice]) {
    const inbox = (await app.inject({ method: 'GET', url: '/api/notifications', headers: { ...bearer(person.token), 'x-min-position': String(head) } })).json()
    t.ok(inbox.items.some((item: { type: string; productId: string }) => item.type === 'scan_anomaly' && item.productId === p.productId), 'the brand and the owner are told')
  }
  t.equal(await statusOf(app.inject({ method: 'GET', url: `/api/products/${p.qrCode}`, headers: { 'x-min-position': String(head) } })), 'suspicious', 'from the read model too')

  const reissued = await call(app, 'POST', `/products/${p.productId}/qr`, { as: alice })
  await ctx.waitForPosition(Number(reissued.json().position), 5000)
  t.equal(await statusOf(scan(reissued.json().qrCode)), 'authentic', 'the new code is clear')
  t.equal(await statusOf(scan(p.qrCode)), 'revoked', 'the copied one is revoked')
})

t.test('scans of a revoked code count too', async t => {
  const p = await product()
  const reissued = await call(app, 'POST', `/products/${p.productId}/qr`, { as: alice })
  await ctx.waitForPosition(Number(reissued.json().position), 5000)
  for (let network = 1; network <= 6; network++) t.equal(await statusOf(scan(p.qrCode, `10.0.${network}.1`)), 'revoked')
  await ctx.waitForPosition(await ctx.eventLog.headPosition(), 5000)
  const events = await ctx.eventLog.readStream(`product-${p.productId}`)
  t.match(events.at(-1), { type: 'ScanAnomalyDetected', data: { qrCode: p.qrCode, networks: 6 } })
  t.equal(await statusOf(scan(reissued.json().qrCode)), 'authentic', 'the current code is not flagged by it')
})

t.test('without TRUST_PROXY, X-Forwarded-For is not believed', async t => {
  const plain = await testApp(t)
  const owner = await registerUser(plain.app, { accountType: 'brand' })
  const created = await newProduct(plain.app, owner)
  await plain.ctx.waitForPosition(Number(created.position), 5000)
  for (let network = 1; network <= 7; network++) {
    const response = await plain.app.inject({ method: 'GET', url: `/api/products/${created.qrCode}`, remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': `10.${network}.0.1` } })
    t.equal(response.json().authenticity.status, 'authentic')
  }
})
