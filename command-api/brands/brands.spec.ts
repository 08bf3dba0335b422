import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { adminToken, bearer, login, registerUser } from '../../test/testing/harness.ts'
import { call, isProblem, newProduct, testApp } from '../testing/specSupport.ts'

const { app } = await testApp(t)
const admin = { userId: 'admin', token: await adminToken(app), email: '', password: '' }
let applicants = 0

/** A brand account that applied and waits: registered through the API, not verified. */
async function apply(brandName: string) {
  const email = `applicant-${++applicants}-${process.pid}@example.test`
  const response = await call(app, 'POST', '/auth/register', { payload: { email, password: 'a long password', displayName: 'Owner', accountType: 'brand', brandName } })
  return { response, userId: response.json().userId as string, email, password: 'a long password' }
}
const decide = (userId: string, payload: object, as = admin) => call(app, 'POST', `/admin/brands/${userId}/verification`, { as, payload })
const read = (app: FastifyInstance, url: string, token?: string) => app.inject({ method: 'GET', url: `/api${url}`, headers: { ...(token && bearer(token)), 'x-min-position': '0' } })
const readAfter = (url: string, position: string, token?: string) =>
  app.inject({ method: 'GET', url: `/api${url}`, headers: { ...(token && bearer(token)), 'x-min-position': position } })

t.test('a brand applies: a consumer until verified, its application pending', async t => {
  const { response, userId } = await apply('Maison Claire')
  t.equal(response.statusCode, 201)
  t.match(response.json(), { userId, roles: ['consumer'], brand: { brandName: 'Maison Claire', status: 'pending' } })
  t.notOk((await call(app, 'POST', '/auth/register', { payload: { email: 'c@example.test', password: 'a long password', displayName: 'C' } })).json().brand, 'a consumer has no brand')
  const listed = await readAfter('/admin/brands?status=pending', response.json().position, admin.token)
  t.equal(listed.statusCode, 200)
  t.match(listed.json().items.find((item: { userId: string }) => item.userId === userId), { userId, brandName: 'Maison Claire', status: 'pending', appliedAt: String })
  t.match((await read(app, `/brands/${userId}`)).json(), { userId, brandName: 'Maison Claire', status: 'pending', verifiedAt: null, gs1CompanyPrefixes: [] })
})

t.test('approval grants the role brand at once, with the prefixes', async t => {
  const applicant = await apply('Atelier Onde')
  const token = await login(app, applicant.email, applicant.password)
  const as = { userId: applicant.userId, token, email: applicant.email, password: applicant.password }
  t.ok(isProblem(await call(app, 'POST', '/products', { as, payload: { name: 'Tee' } }), 403), 'pending, it issues nothing')
  const approved = await decide(applicant.userId, { decision: 'approve', gs1CompanyPrefixes: ['7612345'] })
  t.equal(approved.statusCode, 200)
  t.match(approved.json(), { userId: applicant.userId, brandName: 'Atelier Onde', status: 'verified', gs1CompanyPrefixes: ['7612345'], position: /^\d+$/ })
  t.equal((await call(app, 'POST', '/products', { as, payload: { name: 'Tee', gtin: '7612345000022', serialNumber: 'S1' } })).statusCode, 201, 'the same token issues')
  const brand = await readAfter(`/brands/${applicant.userId}`, approved.json().position)
  t.match(brand.json(), { status: 'verified', verifiedAt: String, gs1CompanyPrefixes: ['7612345'] })
  const more = await decide(applicant.userId, { decision: 'approve', gs1CompanyPrefixes: ['7612346'] })
  t.same(more.json().gs1CompanyPrefixes, ['7612345', '7612346'], 'approving again grants more prefixes')
})

t.test('verified names are unique without case, accents or spacing; prefixes are unique', async t => {
  const first = await apply('Acme Apparel')
  t.equal((await decide(first.userId, { decision: 'approve', gs1CompanyPrefixes: ['8412345'] })).statusCode, 200)
  for (const name of ['Acme Apparel', 'ACME  apparel', 'Ácmé Appárel', 'acme-apparel']) {
    const copy = await apply(name)
    t.equal(copy.response.statusCode, 201, `"${name}" may apply`)
    const refused = await decide(copy.userId, { decision: 'approve' })
    t.ok(isProblem(refused, 409), `"${name}" is not verified`)
    t.match(refused.json().detail, 'another verified brand has this name')
  }
  const prefixThief = await apply('Totally Different')
  const refused = await decide(prefixThief.userId, { decision: 'approve', gs1CompanyPrefixes: ['8412345'] })
  t.ok(isProblem(refused, 409), "another brand's prefix")
  t.match(refused.json().detail, 'GS1 Company Prefix')
  const racers = await Promise.all(['Race Wear', 'race wear'].map(apply))
  const raced = await Promise.all(racers.map(racer => decide(racer.userId, { decision: 'approve' })))
  t.same(raced.map(response => response.statusCode).sort(), [200, 409], 'of two racing for a name, one is verified')
})

t.test('GS1 Company Prefixes of two brands never overlap: neither starts with the other', async t => {
  const holder = await apply('Overlap Holder')
  t.equal((await decide(holder.userId, { decision: 'approve', gs1CompanyPrefixes: ['5512345'] })).statusCode, 200)
  const other = await apply('Overlap Other')
  for (const prefix of ['551234', '55123456', '551234567890']) {
    const refused = await decide(other.userId, { decision: 'approve', gs1CompanyPrefixes: [prefix] })
    t.ok(isProblem(refused, 409), `${prefix} is refused`)
    t.match(refused.json(), { title: 'Conflict', detail: `another verified brand holds the GS1 Company Prefix ${prefix}, or one that starts with it or that it starts with` })
  }
  const sibling = await decide(other.userId, { decision: 'approve', gs1CompanyPrefixes: ['5512346'] })
  t.equal(sibling.statusCode, 200, 'the same first digits, neither starting with the other')
  const grant = await decide(other.userId, { decision: 'approve', gs1CompanyPrefixes: ['55123459'] })
  t.ok(isProblem(grant, 409), 'a later grant is refused too')
  t.same((await decide(holder.userId, { decision: 'approve', gs1CompanyPrefixes: ['55123450'] })).json().gs1CompanyPrefixes, ['5512345', '55123450'], 'a brand may hold prefixes that overlap its own')

  const late = await apply('Overlap Late')
  t.ok(isProblem(await decide(late.userId, { decision: 'approve', gs1CompanyPrefixes: ['5612345', '551234'] }), 409), 'one overlapping prefix refuses the approval')
  const free = await apply('Overlap Late')
  t.equal((await decide(free.userId, { decision: 'approve', gs1CompanyPrefixes: ['5612345'] })).statusCode, 200, 'and leaves nothing of it claimed')

  const racers = await Promise.all(['Overlap Racer One', 'Overlap Racer Two'].map(apply))
  const raced = await Promise.all(racers.map((racer, index) => decide(racer.userId, { decision: 'approve', gs1CompanyPrefixes: [['571234', '5712345678'][index]!] })))
  t.same(raced.map(response => response.statusCode).sort(), [200, 409], 'of two racing for overlapping prefixes, one is verified')
  const winner = raced.find(response => response.statusCode === 200)!.json()
  const pages = await Promise.all(racers.map(racer => readAfter(`/brands/${racer.userId}`, winner.position)))
  const issuers = pages.filter(page => page.json().gs1CompanyPrefixes.some((prefix: string) => '5712345678901'.startsWith(prefix)))
  t.equal(issuers.length, 1, 'a GTIN under the longer prefix belongs to one brand')
})

t.test('rejection, and revocation: the role goes, the name and prefixes are free again', async t => {
  const rejected = await apply('Never Mind')
  const rejection = await decide(rejected.userId, { decision: 'reject', reason: 'no such company' })
  t.match(rejection.json(), { status: 'rejected', gs1CompanyPrefixes: [] })
  t.match((await readAfter(`/brands/${rejected.userId}`, rejection.json().position)).json(), { status: 'rejected' })

  const brand = await registerUser(app, { accountType: 'brand', brandName: 'Gone Goods', gs1CompanyPrefixes: ['3012345'] })
  await newProduct(app, brand)
  const revoked = await decide(brand.userId, { decision: 'reject', reason: 'counterfeits' })
  t.equal(revoked.statusCode, 200)
  t.match(revoked.json(), { status: 'rejected', gs1CompanyPrefixes: [] })
  t.same((await app.inject({ method: 'GET', url: '/api/auth/verify', headers: bearer(brand.token) })).json().roles, ['consumer'], 'the role brand is gone at once')
  t.ok(isProblem(await call(app, 'POST', '/products', { as: brand, payload: { name: 'Tee' } }), 403), 'it issues nothing more')
  const listed = await readAfter('/admin/brands?status=rejected&limit=100', revoked.json().position, admin.token)
  t.ok(listed.json().items.some((item: { userId: string }) => item.userId === brand.userId), 'listed as rejected')

  const heir = await apply('Gone Goods')
  t.equal((await decide(heir.userId, { decision: 'approve', gs1CompanyPrefixes: ['3012345'] })).statusCode, 200, 'another brand may take the name and prefix')
})

t.test('refusals', async t => {
  const consumer = await registerUser(app)
  const applicant = await apply('Refusal Test')
  t.ok(isProblem(await decide(applicant.userId, { decision: 'approve' }, consumer), 403), 'not an admin')
  t.ok(isProblem(await call(app, 'POST', `/admin/brands/${applicant.userId}/verification`, { payload: { decision: 'approve' } }), 401), 'no token')
  t.ok(isProblem(await decide(consumer.userId, { decision: 'approve' }), 404), 'an account that did not apply as a brand')
  t.ok(isProblem(await decide('01NOSUCHUSER', { decision: 'approve' }), 404), 'an unknown user')
  for (const body of [{ decision: 'maybe' }, { decision: 'approve', gs1CompanyPrefixes: ['12345'] }, { decision: 'approve', gs1CompanyPrefixes: ['ABCDEFG'] }, { decision: 'approve', extra: 1 }]) {
    const refused = await decide(applicant.userId, body)
    t.ok(isProblem(refused, 400), JSON.stringify(body))
    t.ok(refused.json().errors?.length > 0, 'names the field')
  }
  t.ok(isProblem(await read(app, '/admin/brands', consumer.token), 403), 'the list is the admin’s')
  t.ok(isProblem(await read(app, '/admin/brands?status=unknown', admin.token), 400), 'an unknown status')
  t.ok(isProblem(await read(app, `/brands/${consumer.userId}`), 404), 'no brand page for a consumer')
})

t.test('the list pages with a cursor', async t => {
  const { response } = await apply('Paged One')
  await apply('Paged Two')
  const last = await apply('Paged Three')
  const first = await readAfter('/admin/brands?status=pending&limit=1', last.response.json().position, admin.token)
  t.equal(first.json().items.length, 1)
  t.type(first.json().nextCursor, 'string')
  const second = await readAfter(`/admin/brands?status=pending&limit=1&cursor=${first.json().nextCursor}`, response.json().position, admin.token)
  t.not(second.json().items[0].userId, first.json().items[0].userId)
})
