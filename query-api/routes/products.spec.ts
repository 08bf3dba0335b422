import t from 'tap'
import { adminToken, bearer } from '../../test/testing/harness.ts'
import { qrCodesFor } from '../../qr/codes.ts'
import { appendProductEvents, scenario } from '../testing/app.ts'
import { VERDICT_REASONS } from '../views/product.ts'

const s = await scenario()
t.teardown(() => s.close())
const get = (url: string, headers: Record<string, string> = {}) => s.app.inject({ method: 'GET', url, headers })

t.test('a current code reads authentic, with the product and its owner per consent', async t => {
  const response = await get(`/api/products/${s.currentCode}`)
  t.equal(response.statusCode, 200)
  const body = response.json()
  t.match(body, {
    productId: s.productId,
    name: 'Camp shirt',
    brand: 'Maison Verte',
    description: 'Washed linen',
    materials: [{ fibre: 'linen', percent: 100 }],
    madeIn: 'PT',
    gtin: s.gtin,
    serialNumber: s.serialNumber,
    qrCode: s.currentCode,
    authenticity: { status: 'authentic' },
    currentOwner: { userId: s.bob.userId, displayName: 'Bob' },
    ownerCount: 3,
    storiesCount: 1,
  })
  t.ok(Date.parse(body.authenticity.checkedAt))
})

t.test('a scan answered again from the cache reads as the first, but for the time of the check', async t => {
  const withoutTime = (body: string) => ({ ...JSON.parse(body), authenticity: { ...JSON.parse(body).authenticity, checkedAt: 'x' } })
  const [first, second] = [await get(`/api/products/${s.currentCode}`), await get(`/api/products/${s.currentCode}`)]
  t.equal(second.headers['content-type'], 'application/json; charset=utf-8')
  t.strictSame(withoutTime(second.body), withoutTime(first.body))
  const revoked = await get(`/api/products/${s.firstCode}`)
  t.strictSame(withoutTime(revoked.body), { ...withoutTime(first.body), qrCode: s.firstCode, authenticity: { status: 'revoked', reason: VERDICT_REASONS.revoked, checkedAt: 'x' } })
})

t.test('every scan is checked at the time its request came in, a scan answered from the cache too', async t => {
  let now = new Date('2026-03-01T10:00:00.000Z')
  const timed = await scenario({ clock: () => now })
  t.teardown(() => timed.close())
  const checkedAt = async () => (await timed.app.inject({ method: 'GET', url: `/api/products/${timed.currentCode}` })).json().authenticity.checkedAt
  t.equal(await checkedAt(), '2026-03-01T10:00:00.000Z', 'read from the read models')
  now = new Date('2026-03-01T10:00:05.250Z')
  t.equal(await checkedAt(), '2026-03-01T10:00:05.250Z', 'from the cache')
})

t.test('a scan after a write to the product or to its owner shows it, from the position the write answered', async t => {
  const fresh = await scenario()
  t.teardown(() => fresh.close())
  const scan = async (position: number) =>
    (await fresh.app.inject({ method: 'GET', url: `/api/products/${fresh.currentCode}`, headers: { 'x-min-position': String(position) } })).json()
  t.match((await scan(0)).currentOwner, { displayName: 'Bob' }, 'cached')
  const consent = await fresh.app.inject({
    method: 'PUT',
    url: `/api/ownership/${fresh.productId}/consent`,
    headers: bearer(fresh.bob.token),
    payload: { visibility: 'anonymous' },
  })
  t.equal(consent.statusCode, 200)
  t.equal((await scan(consent.json().position)).currentOwner, null, 'a product event')
  const shown = await fresh.app.inject({
    method: 'PUT',
    url: `/api/ownership/${fresh.productId}/consent`,
    headers: bearer(fresh.bob.token),
    payload: { visibility: 'public' },
  })
  t.match((await scan(shown.json().position)).currentOwner, { displayName: 'Bob' }, 'cached again')
  const admin = await adminToken(fresh.app)
  const erased = await fresh.app.inject({ method: 'DELETE', url: `/api/admin/users/${fresh.bob.userId}`, headers: bearer(admin) })
  t.equal(erased.statusCode, 204)
  t.equal((await scan(await fresh.ctx.eventLog.headPosition())).currentOwner, null, "an event of the owner's stream")
})

t.test('a regenerated code reads revoked', async t => {
  const response = await get(`/api/products/${s.firstCode}`)
  t.equal(response.statusCode, 200)
  t.equal(response.json().authenticity.status, 'revoked')
})

t.test('a forged or altered code is a 404: possible counterfeit', async t => {
  const [productId, nonce] = s.currentCode.split('.')
  for (const code of [`${productId}.${nonce}.${'A'.repeat(22)}`, `${s.currentCode.slice(0, -2)}xy`, 'nonsense']) {
    const response = await get(`/api/products/${encodeURIComponent(code)}`)
    t.equal(response.statusCode, 404, code)
    t.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8')
    t.match(response.json(), { status: 404, detail: 'unknown code (possible counterfeit)' })
  }
})

t.test('the QR images hold the current code', async t => {
  const svg = await get(`/api/products/${s.productId}/qr.svg`)
  t.equal(svg.statusCode, 200)
  t.match(svg.headers['content-type'], /^image\/svg\+xml/)
  t.match(svg.body, /^<svg/)
  const png = await get(`/api/products/${s.productId}/qr.png`)
  t.equal(png.statusCode, 200)
  t.equal(png.headers['content-type'], 'image/png')
  t.same([...png.rawPayload.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47])
  t.equal((await get('/api/products/no-such-product/qr.png')).statusCode, 404)
})

t.test('details: the full read model with its revision as ETag', async t => {
  const response = await get(`/api/products/${s.productId}/details`)
  t.equal(response.statusCode, 200)
  t.equal(response.headers.etag, '"12"')
  t.match(response.json(), {
    productId: s.productId,
    revision: 12,
    ownerCount: 3,
    storiesCount: 1,
    activeListing: null,
    qr: { code: s.currentCode, status: 'active' },
    currentOwner: { displayName: 'Bob' },
  })
  t.notOk('owners' in response.json(), 'owner ids stay behind consent')
  const again = await get(`/api/products/${s.productId}/details`, { 'if-none-match': '"12"' })
  t.equal(again.statusCode, 304)
  t.equal((await get('/api/products/nope/details')).statusCode, 404)
})

// Last: it issues a new code for the shared product.
t.test('a QR image is cached per code: an ETag of its own, immutable, and If-None-Match answers 304 until the code changes', async t => {
  const first = await get(`/api/products/${s.productId}/qr.png`)
  const etag = first.headers.etag as string
  t.match(etag, /^"png-[\w-]+"$/)
  t.equal(first.headers['cache-control'], 'public, max-age=60, immutable')
  t.not((await get(`/api/products/${s.productId}/qr.svg`)).headers.etag, etag, 'each format its own')
  const unchanged = await get(`/api/products/${s.productId}/qr.png`, { 'if-none-match': etag })
  t.equal(unchanged.statusCode, 304)
  t.equal(unchanged.body, '')

  const next = qrCodesFor(s.ctx.config).issue({ productId: s.productId, gtin: s.gtin, serialNumber: s.serialNumber, nonce: 'third' })
  const at = '2024-08-01T00:00:00.000Z'
  const position = await appendProductEvents(s.ctx, s.productId, [
    { actorId: s.bob.userId, at, event: { type: 'QrCodeRevoked', data: { productId: s.productId, qrCode: s.currentCode, revokedAt: at } } },
    { actorId: s.bob.userId, at, event: { type: 'QrCodeIssued', data: { productId: s.productId, ...next, issuedAt: at } } },
  ])
  await s.ctx.waitForPosition(position, 5000)
  const changed = await get(`/api/products/${s.productId}/qr.png`, { 'if-none-match': etag })
  t.equal(changed.statusCode, 200, 'a new code, a new image')
  t.not(changed.headers.etag, etag)
  t.not(changed.rawPayload.equals(first.rawPayload), true)
})
