/**
 * PostgreSQL stopped for 10 s under the cluster: writes answer 503 problem+json within a bound (never a 500, never
 * a hang), and work again once it is back. The stack's FerretDB keeps its documents in that same PostgreSQL, so
 * the read models are away too: reads, through the balancer and on each query API, answer from the scan cache, or
 * 503 problem+json, never a 500 or a hang. Afterwards each query API, read with x-min-position, shows the product's
 * new owner and reads its replaced label revoked: its scan cache follows the log again.
 */
import t from 'tap'
import { eventually, type Client } from '../acceptance/testing/client.ts'
import { signUp } from '../acceptance/testing/people.ts'
import { attempt, clusterBrand, clusterOf, sleep, startServer, stopServer, type Outcome } from '../testing/cluster.ts'

const OUTAGE_MS = 10_000
/** The longest an answer may take during the outage. */
const BOUND_MS = 8_000

const describe = ({ status, ms, error, reply }: Outcome) => `${status} in ${ms} ms ${error ?? reply?.text.slice(0, 120) ?? ''}`
const isProblem = ({ reply }: Outcome) => /^application\/problem\+json/.test(reply!.contentType)

const cluster = clusterOf(t)
if (cluster) {
  const { api, queryApis } = cluster

  t.test('PostgreSQL stopped for 10 s: writes answer 503, then work again', async t => {
    const { brand, product } = await clusterBrand(t, api, 'Postgres')
    const owner = await signUp(t, api, { displayName: `Postgres owner ${Date.now().toString(36)}` })
    const coat = await product(t, `PG-${Date.now().toString(36)}`)
    await api.call(t, 'POST /api/ownership/transfer', { as: brand, body: { productId: coat.productId, toUserId: owner.userId } })
    await eventually(() => api.send(`GET /api/products/${coat.qrCode}`), reply => reply.status === 200, { timeoutMs: 30_000 })
    const consent = (visibility: string) => attempt(api, `PUT /api/ownership/${coat.productId}/consent`, { as: owner, body: { visibility } }, BOUND_MS + 2000)

    await stopServer('postgres')
    const writes: Outcome[] = []
    const reads: (Outcome & { read: string })[] = []
    const read = async (client: Client, route: string) => reads.push({ read: `${client.base} ${route}`, ...(await attempt(client, `GET ${route}`, {}, BOUND_MS + 2000)) })
    const until = Date.now() + OUTAGE_MS
    while (Date.now() < until) {
      writes.push(await consent(writes.length % 2 ? 'public' : 'anonymous'))
      await read(api, `/api/products/${coat.qrCode}`)
      for (const instance of queryApis) await read(instance, `/api/products/${coat.productId}/details`)
      await sleep(500)
    }
    await startServer('postgres')

    t.comment(`writes during the outage: ${writes.map(describe).join('; ')}`)
    t.comment(`reads during the outage: ${reads.map(outcome => `${outcome.read}: ${describe(outcome)}`).join('; ')}`)
    t.same(writes.filter(outcome => outcome.status !== 503 || outcome.ms > BOUND_MS || !isProblem(outcome)).map(describe), [], `every write answered 503 problem+json within ${BOUND_MS} ms`)
    const unfit = reads.filter(outcome => !(outcome.status === 200 || (outcome.status === 503 && isProblem(outcome))) || outcome.ms > BOUND_MS)
    t.same(unfit.map(outcome => `${outcome.read}: ${describe(outcome)}`), [], `every read, on every query API, answered 200 or 503 problem+json within ${BOUND_MS} ms`)

    const after = await eventually(() => api.send(`PUT /api/ownership/${coat.productId}/consent`, { as: owner, body: { visibility: 'public' } }), reply => reply.status === 200, { timeoutMs: 30_000, intervalMs: 500 })
    t.equal(after.status, 200, 'a write works again once PostgreSQL is back')
    const scan = await eventually(() => api.send(`GET /api/products/${coat.qrCode}`), reply => reply.status === 200 && reply.json.currentOwner?.userId === owner.userId, { timeoutMs: 30_000, intervalMs: 500 })
    t.same(scan.json.currentOwner, { userId: owner.userId, displayName: owner.displayName }, 'and reads see it, the projectors caught up')

    for (const instance of queryApis) {
      await eventually(() => instance.send(`GET /api/products/${coat.productId}/details`), reply => reply.status === 200, { timeoutMs: 30_000, intervalMs: 500 })
      t.equal((await instance.call(t, `GET /api/products/${coat.qrCode}`)).authenticity.status, 'authentic', `${instance.base} reads the label, and may cache it`)
    }
    const next = await signUp(t, api, { displayName: `Postgres next owner ${Date.now().toString(36)}` })
    const reprinted = await api.call(t, `POST /api/products/${coat.productId}/qr`, { as: brand }, 201)
    const moved = await api.call(t, 'POST /api/ownership/transfer', { as: owner, body: { productId: coat.productId, toUserId: next.userId } })
    const headers = { 'x-min-position': moved.position }
    const nextOwner = { userId: next.userId, displayName: next.displayName }
    for (const instance of queryApis) {
      const replaced = await instance.call(t, `GET /api/products/${coat.qrCode}`, { headers })
      t.same([replaced.authenticity.status, replaced.currentOwner], ['revoked', nextOwner], `${instance.base}: the replaced label reads revoked, with the new owner`)
      const current = await instance.call(t, `GET /api/products/${reprinted.qrCode}`, { headers })
      t.same([current.authenticity.status, current.currentOwner], ['authentic', nextOwner], `${instance.base}: the new label reads authentic, with the new owner`)
      const details = await instance.call(t, `GET /api/products/${coat.productId}/details`, { headers })
      t.same([details.qr?.code, details.currentOwner], [reprinted.qrCode, nextOwner], `${instance.base}: the details show the new label and owner`)
    }
  })
}
