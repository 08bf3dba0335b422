import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { audit } from '../../cli/testing/fixture.ts'
import { adminToken, bearer, buildTestApp, type TestUser } from '../../test/testing/harness.ts'
import { call, isProblem, newProduct, testApp } from '../../command-api/testing/specSupport.ts'
import { cast, newKey } from '../../command-api/testing/partners.ts'

const { app } = await testApp(t)
const { brand, owner, stranger, repairer, recycler, authority } = await cast(app)
const passportData = {
  care: 'Wash at 30°C',
  repairInstructions: 'Spare buttons in the pocket',
  disassembly: 'Unpick the lining first',
  substancesOfConcern: [{ name: 'Lead', casNumber: '7439-92-1', location: 'buttons' }],
  compliance: [{ name: 'Declaration of conformity', url: 'https://atelier.example/doc.pdf' }],
  legalName: 'Atelier SA',
  address: '1 Rue de la Mode, Paris',
}
const materials = [{ fibre: 'wool', percent: 100 }]
const { productId, position } = await newProduct(app, brand, { materials, ...passportData })
const record = await call(app, 'POST', `/products/${productId}/lifecycle`, { as: repairer, payload: { type: 'repair', description: 'Resewn hem' } })

const view = (name: string | undefined, headers: Record<string, string> = {}) =>
  app.inject({ method: 'GET', url: `/api/products/${productId}/passport${name ? `?view=${name}` : ''}`, headers: { 'x-min-position': record.json().position, ...headers } })
const as = (user: TestUser) => bearer(user.token)
const accessLog = (headers: Record<string, string>, query = '', id = productId) =>
  app.inject({ method: 'GET', url: `/api/products/${id}/access-log${query}`, headers })

t.test('the public view: what /details shows, with care and materials', async t => {
  const details = (await app.inject({ method: 'GET', url: `/api/products/${productId}/details`, headers: { 'x-min-position': position } })).json()
  const shown = await view(undefined)
  t.equal(shown.statusCode, 200)
  const body = shown.json()
  t.match(body, { ...details, revision: Number, updatedAt: String, position: String, view: 'public', care: 'Wash at 30°C', materials })
  for (const field of ['repairInstructions', 'disassembly', 'substancesOfConcern', 'lifecycle', 'compliance', 'legalName', 'address'])
    t.notOk(field in body, `no ${field}`)
  t.equal((await view('public', as(stranger))).statusCode, 200, 'the same for anyone')
})

t.test('the professional view: repairers, resellers, recyclers, the product’s brand', async t => {
  for (const user of [repairer, recycler, brand, authority]) {
    const shown = await view('professional', as(user))
    t.equal(shown.statusCode, 200)
    t.match(shown.json(), { view: 'professional', repairInstructions: passportData.repairInstructions, disassembly: passportData.disassembly, substancesOfConcern: passportData.substancesOfConcern })
    t.match(shown.json().lifecycle, [{ type: 'repair', description: 'Resewn hem', partner: { userId: repairer.userId, role: 'repairer' }, status: 'pending_owner' }])
    t.notOk('legalName' in shown.json(), 'not the authority’s part')
  }
  t.ok(isProblem(await view('professional'), 401), 'no token')
  t.ok(isProblem(await view('professional', as(owner)), 403), 'a consumer')
  t.ok(isProblem(await view('professional', as((await cast(app)).brand)), 403), 'another brand')
})

t.test('the authority view: authorities and admins', async t => {
  const shown = await view('authority', as(authority))
  t.equal(shown.statusCode, 200)
  t.match(shown.json(), { view: 'authority', compliance: passportData.compliance, legalName: 'Atelier SA', address: passportData.address, repairInstructions: passportData.repairInstructions })
  t.equal((await view('authority', bearer(await adminToken(app)))).statusCode, 200, 'an admin')
  t.ok(isProblem(await view('authority', as(repairer)), 403), 'a repairer')
  t.ok(isProblem(await view('authority', as(brand)), 403), 'the brand')
})

t.test('a key with passport:read reads the professional view; one without does not', async t => {
  const reader = await newKey(app, repairer, ['passport:read'])
  const writer = await newKey(app, repairer, ['lifecycle:write'])
  t.equal((await view('professional', { 'x-api-key': reader.apiKey })).statusCode, 200)
  t.ok(isProblem(await view('professional', { 'x-api-key': writer.apiKey }), 403))
  t.ok(isProblem(await view('authority', { 'x-api-key': reader.apiKey }), 403), 'never above its partner’s role')
})

t.test('bad passport requests', async t => {
  t.ok(isProblem(await view('secret', as(authority)), 400), 'an unknown view')
  t.ok(isProblem(await app.inject({ method: 'GET', url: `/api/products/${productId}/passport?view=public&x=1` }), 400), 'an unknown parameter')
  t.ok(isProblem(await app.inject({ method: 'GET', url: '/api/products/01NOSUCHPRODUCT/passport' }), 404), 'an unknown product')
})

t.test('GET /products/{productId}/access-log: every restricted read, for the brand and admins only', async t => {
  const { productId: fresh, position } = await newProduct(app, brand)
  const read = (name: string, headers: Record<string, string>) =>
    app.inject({ method: 'GET', url: `/api/products/${fresh}/passport?view=${name}`, headers: { 'x-min-position': position, ...headers } })
  const { apiKey } = await newKey(app, recycler, ['passport:read'])
  t.equal((await read('public', as(repairer))).statusCode, 200)
  t.equal((await read('professional', as(repairer))).statusCode, 200)
  t.equal((await read('professional', { 'x-api-key': apiKey })).statusCode, 200)
  t.equal((await read('authority', as(authority))).statusCode, 200)
  t.equal((await read('authority', as(repairer))).statusCode, 403)

  const log = await accessLog(as(brand), '', fresh)
  t.equal(log.statusCode, 200)
  t.match(log.json(), {
    items: [
      { viewerId: authority.userId, role: 'authority', view: 'authority', via: 'token' },
      { viewerId: recycler.userId, role: 'recycler', view: 'professional', via: 'key' },
      { viewerId: repairer.userId, role: 'repairer', view: 'professional', via: 'token' },
    ],
    nextCursor: null,
  })
  t.equal(log.json().items.length, 3, 'public reads and refusals are not recorded')

  const first = (await accessLog(as(brand), '?limit=2', fresh)).json()
  t.equal(first.items.length, 2)
  const second = (await accessLog(as(brand), `?limit=2&cursor=${first.nextCursor}`, fresh)).json()
  t.match(second, { items: [{ viewerId: repairer.userId }], nextCursor: null })

  t.equal((await accessLog(bearer(await adminToken(app)), '', fresh)).statusCode, 200, 'an admin')
  t.ok(isProblem(await accessLog(as(repairer), '', fresh), 403), 'a reader')
  t.ok(isProblem(await accessLog(as(owner), '', fresh), 403), 'the owner')
  t.ok(isProblem(await accessLog({}, '', fresh), 401), 'no token')
  t.ok(isProblem(await accessLog(as(brand), '', '01NOSUCHPRODUCT'), 404), 'an unknown product')
  t.ok(isProblem(await accessLog(as(brand), '?limit=0', fresh), 400), 'a bad limit')
})

t.test('the access log survives a restart and a rebuild of the read models', async t => {
  const dataDir = await mkdtemp(join(tmpdir(), 'ptvem-access-'))
  t.teardown(() => rm(dataDir, { recursive: true, force: true }))
  const first = await buildTestApp({ config: { dataDir } })
  const people = await cast(first.app)
  const created = await newProduct(first.app, people.brand)
  const read = await first.app.inject({
    method: 'GET',
    url: `/api/products/${created.productId}/passport?view=professional`,
    headers: { ...bearer(people.repairer.token), 'x-min-position': created.position },
  })
  t.equal(read.statusCode, 200)
  await first.close()

  const rebuilt = await audit(dataDir, 'rebuild')
  t.equal(rebuilt.code, 0, rebuilt.stderr)
  const second = await buildTestApp({ config: { dataDir } })
  t.teardown(() => second.close())
  const log = await second.app.inject({ method: 'GET', url: `/api/products/${created.productId}/access-log`, headers: bearer(people.brand.token) })
  t.equal(log.statusCode, 200)
  t.match(log.json().items, [{ viewerId: people.repairer.userId, view: 'professional', role: 'repairer', via: 'token' }])
})
