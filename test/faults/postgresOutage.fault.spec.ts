/**
 * PostgreSQL stopped for 10 s under the cluster: writes answer 503 problem+json within a bound (never a 500, never
 * a hang), and work again once it is back. The stack's FerretDB keeps its documents in that same PostgreSQL, so
 * the read models are away too: reads answer from the scan cache, or 503 problem+json, never a 500 or a hang.
 */
import t from 'tap'
import { eventually } from '../acceptance/testing/client.ts'
import { signUp } from '../acceptance/testing/people.ts'
import { attempt, clusterBrand, clusterOf, sleep, startServer, stopServer, type Outcome } from '../testing/cluster.ts'

const OUTAGE_MS = 10_000
/** The longest an answer may take during the outage. */
const BOUND_MS = 8_000

const describe = ({ status, ms, error, reply }: Outcome) => `${status} in ${ms} ms ${error ?? reply?.text.slice(0, 120) ?? ''}`

const cluster = clusterOf(t, { instances: [] })
if (cluster) {
  const { api } = cluster

  t.test('PostgreSQL stopped for 10 s: writes answer 503, then work again', async t => {
    const { brand, product } = await clusterBrand(t, api, 'Postgres')
    const owner = await signUp(t, api, { displayName: `Postgres owner ${Date.now().toString(36)}` })
    const coat = await product(t, `PG-${Date.now().toString(36)}`)
    await api.call(t, 'POST /api/ownership/transfer', { as: brand, body: { productId: coat.productId, toUserId: owner.userId } })
    await eventually(() => api.send(`GET /api/products/${coat.qrCode}`), reply => reply.status === 200, { timeoutMs: 30_000 })
    const consent = (visibility: string) => attempt(api, `PUT /api/ownership/${coat.productId}/consent`, { as: owner, body: { visibility } }, BOUND_MS + 2000)

    await stopServer('postgres')
    const writes: Outcome[] = []
    const reads: Outcome[] = []
    const until = Date.now() + OUTAGE_MS
    while (Date.now() < until) {
      writes.push(await consent(writes.length % 2 ? 'public' : 'anonymous'))
      reads.push(await attempt(api, `GET /api/products/${coat.qrCode}`, {}, BOUND_MS + 2000))
      await sleep(500)
    }
    await startServer('postgres')

    t.comment(`writes during the outage: ${writes.map(describe).join('; ')}`)
    t.comment(`reads during the outage: ${reads.map(describe).join('; ')}`)
    t.same(writes.filter(({ status, ms, reply }) => status !== 503 || ms > BOUND_MS || !/^application\/problem\+json/.test(reply!.contentType)).map(describe), [], `every write answered 503 problem+json within ${BOUND_MS} ms`)
    t.same(reads.filter(({ status, ms }) => ![200, 503].includes(status) || ms > BOUND_MS).map(describe), [], `every read answered 200 or 503 within ${BOUND_MS} ms`)

    const after = await eventually(() => api.send(`PUT /api/ownership/${coat.productId}/consent`, { as: owner, body: { visibility: 'public' } }), reply => reply.status === 200, { timeoutMs: 30_000, intervalMs: 500 })
    t.equal(after.status, 200, 'a write works again once PostgreSQL is back')
    const scan = await eventually(() => api.send(`GET /api/products/${coat.qrCode}`), reply => reply.status === 200 && reply.json.currentOwner?.userId === owner.userId, { timeoutMs: 30_000, intervalMs: 500 })
    t.same(scan.json.currentOwner, { userId: owner.userId, displayName: owner.displayName }, 'and reads see it, the projectors caught up')
  })
}
