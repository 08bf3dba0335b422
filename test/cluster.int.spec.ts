/**
 * The cluster of `npm run cluster:up` (scripts/cluster/up.sh), through its balancer at CLUSTER_URL, with the
 * query APIs also reached one by one at CLUSTER_QUERY_URLS (comma-separated): every instance reads a write
 * carrying its x-min-position, live streams resume through the balancer, and every query API's scan cache
 * drops a reprinted label's code, and its history cache a product's history, because the log says so.
 */
import t from 'tap'
import type { Person } from './acceptance/testing/client.ts'
import { signUp } from './acceptance/testing/people.ts'
import { clusterBrand, clusterOf } from './testing/cluster.ts'

const cluster = clusterOf(t)
if (cluster) {
  const { api, queryApis } = cluster
  let brand: Person, owner: Person
  let product: { productId: string; qrCode: string }

  t.before(async () => {
    const setup = t
    const made = await clusterBrand(setup, api, 'Cluster')
    brand = made.brand
    owner = await signUp(setup, api, { displayName: `Cluster owner ${Date.now().toString(36)}` })
    const { collectionId } = await api.call(setup, 'POST /api/collections', { as: brand, body: { name: 'Cluster', season: 'AW25' } }, 201)
    const { designId } = await api.call(setup, `POST /api/collections/${collectionId}/designs`, { as: brand, body: { name: 'Coat', materials: [{ fibre: 'wool', percent: 100 }] } }, 201)
    product = await made.product(setup, `CL-${Date.now().toString(36)}`, { collectionId, designId })
    await api.call(setup, 'POST /api/ownership/transfer', { as: brand, body: { productId: product.productId, toUserId: owner.userId } })
  })

  t.test('a write through the balancer reads back on every query API with its x-min-position', async t => {
    for (const visibility of ['public', 'anonymous', 'public', 'anonymous']) {
      const { position } = await api.call(t, `PUT /api/ownership/${product.productId}/consent`, { as: owner, body: { visibility } })
      for (const [index, instance] of queryApis.entries()) {
        const { currentOwner } = await instance.call(t, `GET /api/products/${product.qrCode}`, { headers: { 'x-min-position': position } })
        t.same(currentOwner, visibility === 'public' ? { userId: owner.userId, displayName: owner.displayName } : null, `query API ${index + 1} sees ${visibility} at ${position}`)
      }
    }
  })

  t.test('a live stream resumes through the balancer from Last-Event-ID', async t => {
    const consent = (visibility: string) => api.call(t, `PUT /api/ownership/${product.productId}/consent`, { as: owner, body: { visibility } })
    const live = await api.listen(`GET /api/products/${product.productId}/live`)
    t.teardown(live.close)
    t.match(live.contentType, /^text\/event-stream/)
    const heard = await consent('public')
    const [message] = await live.next(1)
    t.equal(message!.id, heard.position, 'the event arrives live through the balancer')
    live.close()

    const missed = [(await consent('anonymous')).position, (await consent('public')).position]
    const resumed = await api.listen(`GET /api/products/${product.productId}/live`, { headers: { 'last-event-id': message!.id! } })
    t.teardown(resumed.close)
    t.same((await resumed.next(2)).map(message => message.id), missed, 'what was missed, in order')
    const later = await consent('anonymous')
    t.same((await resumed.next(1)).map(message => message.id), [later.position], 'then live again')
  })

  t.test("every query API's history cache drops the product's history because the log says so", async t => {
    const history = (instance: (typeof queryApis)[number], position?: string) =>
      instance.call(t, `GET /api/products/${product.productId}/history`, position === undefined ? {} : { headers: { 'x-min-position': position } })
    const named = (body: unknown) => JSON.stringify(body).includes(owner.userId)
    for (const visibility of ['public', 'anonymous']) {
      for (const instance of queryApis) await history(instance)
      const { position } = await api.call(t, `PUT /api/ownership/${product.productId}/consent`, { as: owner, body: { visibility } })
      for (const [index, instance] of queryApis.entries()) {
        for (let read = 1; read <= 2; read++) t.equal(named(await history(instance, position)), visibility === 'public', `query API ${index + 1}, read ${read}: ${visibility}`)
      }
    }
  })

  t.test('a reprinted label: the old code reads revoked on every query API, whose scan caches held it authentic', async t => {
    const firstCode = product.qrCode
    for (const instance of queryApis) {
      t.equal((await instance.call(t, `GET /api/products/${firstCode}`)).authenticity.status, 'authentic', `${instance.base} caches the first code`)
    }
    const reprinted = await api.call(t, `POST /api/products/${product.productId}/qr`, { as: brand }, 201)
    for (const instance of queryApis) {
      const scan = await instance.call(t, `GET /api/products/${firstCode}`, { headers: { 'x-min-position': reprinted.position } })
      t.equal(scan.authenticity.status, 'revoked', `${instance.base} reads the first code revoked`)
    }
  })
}
