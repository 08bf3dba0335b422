/**
 * An attacker's afternoon, over real HTTP against `npm start` behind a proxy (TRUST_PROXY): a forged brand, a
 * stripped signature, a cloned label. Each trick must fail, or be flagged, as a buyer scanning would see it.
 */
import t, { type Test } from 'tap'
import type { Person } from './testing/client.ts'
import { logInAsAdmin, signUp } from './testing/people.ts'
import { closeWalk, EUR, openWalk } from './testing/walk.ts'

const walk = await openWalk(t, { TRUST_PROXY: '127.0.0.1' })
const { api } = walk

const GTIN = '4006381333931'
let acme: Person, mallory: Person, alice: Person, admin: Person
let jacket: { productId: string; qrCode: string; qrUrl: string }

/** What a phone opening the URL would get as JSON, from a client at `address` (a proxy's X-Forwarded-For). */
const scanned = async (t: Test, url: string, address = '198.51.100.10') => {
  const { pathname, search } = new URL(url)
  return api.call(t, `GET ${pathname}${search}`, { headers: { accept: 'application/json', 'x-forwarded-for': address } })
}
const verdict = async (t: Test, url: string, address?: string) => (await scanned(t, url, address)).authenticity.status

t.test('a forged brand: the name and the prefix are taken, so it issues nothing in their name', async t => {
  acme = await signUp(t, api, { displayName: 'Ana', brandName: 'Acme Apparel', gs1CompanyPrefixes: ['4006381'] })
  alice = await signUp(t, api, { displayName: 'Alice' })
  admin = await logInAsAdmin(t, api)
  jacket = await api.call(t, 'POST /api/products', { as: acme, body: { name: 'Field jacket', gtin: GTIN, serialNumber: 'AC-0001', originalPrice: EUR(24_000) } }, 201)
  await api.call(t, 'POST /api/ownership/transfer', { as: acme, body: { productId: jacket.productId, toUserId: alice.userId } })
  t.equal(await verdict(t, jacket.qrUrl), 'authentic', 'the genuine jacket reads authentic')

  const email = 'mallory@walk.test'
  const forged = await api.call(t, 'POST /api/auth/register', { body: { email, password: 'mallory is patient', displayName: 'Mallory', accountType: 'brand', brandName: 'Acme Apparel' } }, 201)
  t.match(forged, { roles: ['consumer'], brand: { brandName: 'Acme Apparel', status: 'pending' } }, 'anyone may apply, and waits')
  const session = await api.call(t, 'POST /api/auth/login', { body: { email, password: 'mallory is patient' } })
  mallory = { userId: forged.userId, token: session.accessToken, email, password: 'mallory is patient', displayName: 'Mallory' }
  await api.refused(t, 'POST /api/products', { as: mallory, body: { name: 'Field jacket', gtin: GTIN, serialNumber: 'AC-0001' } }, 403)
  const pending = await api.call(t, 'GET /api/admin/brands?status=pending', { as: admin })
  t.ok(pending.items.some((item: any) => item.userId === mallory.userId && item.brandName === 'Acme Apparel'), 'the admin sees the application')

  const sameName = await api.refused(t, `POST /api/admin/brands/${mallory.userId}/verification`, { as: admin, body: { decision: 'approve' } }, 409)
  t.match(sameName.detail, 'name', 'a second "Acme Apparel" is never verified')
  await api.refused(t, `POST /api/admin/brands/${mallory.userId}/verification`, { as: admin, body: { decision: 'approve', gs1CompanyPrefixes: ['4006381'] } }, 409)
  await api.call(t, `POST /api/admin/brands/${mallory.userId}/verification`, { as: admin, body: { decision: 'reject', reason: 'impersonation' } })
  t.match(await api.call(t, `GET /api/brands/${mallory.userId}`), { status: 'rejected' })
  t.match(await api.call(t, `GET /api/brands/${acme.userId}`), { brandName: 'Acme Apparel', status: 'verified', gs1CompanyPrefixes: ['4006381'] })

  const shady = await signUp(t, api, { displayName: 'Mallory', brandName: 'Shady Goods' })
  const copied = await api.refused(t, 'POST /api/products', { as: shady, body: { name: 'Field jacket', gtin: GTIN, serialNumber: 'AC-0001' } }, 422)
  t.match(copied.detail, 'GS1 Company Prefix', "another brand's GTIN and serial are refused")
  await api.refused(t, 'POST /api/products', { as: acme, body: { name: 'Field jacket', gtin: `0${GTIN}`, serialNumber: 'AC-0001' } }, 409)
  const own = await api.call(t, 'POST /api/products', { as: shady, body: { name: 'Plain tee' } }, 201)
  t.equal(await verdict(t, own.qrUrl), 'authentic', 'its own product, while verified')
  await api.call(t, `POST /api/admin/brands/${shady.userId}/verification`, { as: admin, body: { decision: 'reject', reason: 'counterfeits' } })
  t.equal(await verdict(t, own.qrUrl), 'unverified_brand', 'revoked, its products no longer read authentic')
  await api.refused(t, 'POST /api/products', { as: shady, body: { name: 'Another tee' } }, 403)
})

t.test('a stripped signature reads unverified, before and after the code is revoked', async t => {
  const link = new URL(jacket.qrUrl)
  t.ok(link.searchParams.get('q'), 'the label carries a signature')
  const stripped = `${link.origin}${link.pathname}`
  t.match((await scanned(t, stripped)).authenticity, { status: 'unverified', reason: String })
  const resolved = await api.send(`GET ${link.pathname}`, { headers: { accept: 'text/html' }, redirect: 'manual' })
  t.equal(resolved.status, 307, 'a phone is sent on to the passport page')
  const passportPage = new URL(resolved.headers.get('location')!)
  const page = await api.send(`GET ${passportPage.pathname}${passportPage.search}`, { headers: { accept: 'text/html' } })
  t.equal(page.status, 200)
  t.match(page.text, /scan the code on the label/i, 'the page says what to do')
  t.equal(await verdict(t, `${stripped}?q=${jacket.qrCode.slice(0, -4)}AAAA`), 'unverified', 'a forged signature')

  const reissued = await api.call(t, `POST /api/products/${jacket.productId}/qr`, { as: alice }, 201)
  t.equal(await verdict(t, jacket.qrUrl), 'revoked', 'the old label')
  t.equal(await verdict(t, stripped), 'unverified', 'stripped, the old label is still no better than unverified')
  t.equal(await verdict(t, reissued.qrUrl), 'authentic', 'the new label')
  jacket = { ...jacket, qrCode: reissued.qrCode, qrUrl: reissued.qrUrl }
})

t.test('a cloned label scanned from 6 networks reads suspicious, until the code is re-issued', async t => {
  const networks = ['203.0.113.5', '198.51.100.20', '192.0.2.30', '2001:db8:aa::1', '100.64.1.1', '172.16.5.5']
  const verdicts = []
  for (const address of networks) verdicts.push(await verdict(t, jacket.qrUrl, address))
  t.same(verdicts, ['authentic', 'authentic', 'authentic', 'authentic', 'authentic', 'suspicious'], 'the sixth network flags it')
  t.equal(await verdict(t, `${new URL(jacket.qrUrl).origin}/p/${jacket.qrCode}`, '203.0.113.5'), 'suspicious', 'every scan of it now')
  const page = await api.send(`GET /p/${jacket.qrCode}`, { headers: { accept: 'text/html', 'x-forwarded-for': '203.0.113.5' } })
  t.match(page.text, 'scanned in many places at once')

  const history = await api.call(t, `GET /api/products/${jacket.productId}/history`)
  const anomaly = history.events.find((event: any) => event.type === 'ScanAnomalyDetected')
  t.match(anomaly?.data, { networks: 6, threshold: 5, windowMinutes: 60 })
  t.notMatch(JSON.stringify(history), /203\.0\.113|2001:db8|172\.16/, 'counts only: no address anywhere in the history')
  for (const person of [acme, alice]) {
    const inbox = await api.call(t, 'GET /api/notifications', { as: person })
    t.ok(inbox.items.some((item: any) => item.type === 'scan_anomaly' && item.productId === jacket.productId), `${person.displayName} is told`)
  }

  const reissued = await api.call(t, `POST /api/products/${jacket.productId}/qr`, { as: alice }, 201)
  t.equal(await verdict(t, reissued.qrUrl, '203.0.113.5'), 'authentic', 'a new code clears it')
  t.equal(await verdict(t, jacket.qrUrl), 'revoked', 'and the cloned one is revoked')
})

closeWalk(t, walk)
