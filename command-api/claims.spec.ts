/**
 * A command that stops between its claim and the event that uses it (a crash), on the embedded adapters: the
 * claim is appended alone, then the command is tried again, by its holder or by another.
 */
import t from 'tap'
import { CLAIM_HOLD_MINUTES } from '../domain/claim/decide.ts'
import { ADMIN, login, registerUser } from '../test/testing/harness.ts'
import { brandNameKey, claimAll, itemIdentifierKey, type Claim } from './claims.ts'
import { call, isProblem, testApp } from './testing/specSupport.ts'

let now = new Date('2025-03-01T09:00:00.000Z')
const { app, ctx } = await testApp(t, { clock: () => now })
const passHold = () => (now = new Date(now.getTime() + CLAIM_HOLD_MINUTES * 60_000))
const metadata = (actorId: string) => ({ actorId, roles: [], now: now.toISOString(), correlationId: 'c', causationId: 'c' })
const crashAfterClaims = (claims: Claim[], holderId: string) => claimAll(ctx, claims, holderId, metadata(holderId))
const admin = async () => ({ userId: 'admin', token: await login(app, ADMIN.email, ADMIN.password), email: '', password: '' })

let applicants = 0
async function apply(brandName: string): Promise<string> {
  const payload = { email: `claims-${++applicants}@example.test`, password: 'a long password', displayName: 'Owner', accountType: 'brand', brandName }
  return (await call(app, 'POST', '/auth/register', { payload })).json().userId
}
const approve = async (userId: string, gs1CompanyPrefixes: string[]) =>
  call(app, 'POST', `/admin/brands/${userId}/verification`, { as: await admin(), payload: { decision: 'approve', gs1CompanyPrefixes } })
const brandClaims = (brandName: string, prefix: string): Claim[] => [
  { kind: 'brandName', value: brandNameKey(brandName) },
  { kind: 'gs1CompanyPrefix', value: prefix },
]

t.test('an approval that stopped after its claims: the same brand’s retry goes through at once', async t => {
  const brand = await apply('Stopped Once')
  await crashAfterClaims(brandClaims('Stopped Once', '4412345'), brand)
  const retried = await approve(brand, ['4412345'])
  t.equal(retried.statusCode, 200)
  t.match(retried.json(), { status: 'verified', gs1CompanyPrefixes: ['4412345'] })
})

t.test('an approval that stopped after its claims: another brand waits out the hold, then the log frees them', async t => {
  const stopped = await apply('Left Behind')
  await crashAfterClaims(brandClaims('Left Behind', '4512345'), stopped)
  const other = await apply('Left Behind')
  const refused = await approve(other, ['451234'])
  t.ok(isProblem(refused, 409), 'held while that approval may still complete')
  passHold()
  t.equal((await approve(other, ['451234'])).statusCode, 200, 'free once the hold is over: the stopped brand was never verified')
  t.ok(isProblem(await approve(stopped, ['4512345']), 409), 'the brand that stopped lost its claims')
})

t.test('claims its holder used hold after the hold too', async t => {
  const verified = await apply('Kept Goods')
  t.equal((await approve(verified, ['4612345'])).statusCode, 200)
  passHold()
  const other = await apply('Kept Goods')
  t.ok(isProblem(await approve(other, []), 409), 'the name')
  t.ok(isProblem(await approve(other, ['46123456']), 409), 'a prefix under its prefix')
})

t.test('a product creation that stopped after its (gtin, serial) claim: the identifier is free once the hold is over', async t => {
  const brand = await registerUser(app, { accountType: 'brand', gs1CompanyPrefixes: ['4712345'] })
  const product = { name: 'Tee', gtin: '4712345000015', serialNumber: 'LOST-1' }
  await crashAfterClaims([{ kind: 'itemIdentifier', value: itemIdentifierKey(product.gtin, product.serialNumber) }], 'product-that-never-was')
  t.ok(isProblem(await call(app, 'POST', '/products', { as: brand, payload: product }), 409), 'held while that creation may still complete')
  passHold()
  const as = { ...brand, token: await login(app, brand.email, brand.password) }
  t.equal((await call(app, 'POST', '/products', { as, payload: product })).statusCode, 201, 'the product that never was held it no longer')
  passHold()
  const again = await call(app, 'POST', '/products', { as: { ...brand, token: await login(app, brand.email, brand.password) }, payload: product })
  t.ok(isProblem(again, 409), 'a product created with it holds it for good')
})
