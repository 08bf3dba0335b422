/**
 * kill -9 of one command API and one query API of the cluster during a load of writes and reads through its
 * balancer: no acknowledged write is lost, the balancer routes around the dead instances, a POST that may have
 * reached a dead instance is never replayed on another (its client sees a 502 and knows nothing of its fate),
 * and the killed instances, started again, catch up.
 */
import t from 'tap'
import { attempt, clusterBrand, clusterOf, killProcess, sleep, startProcess, type Outcome } from '../testing/cluster.ts'
import { eventually, type Client } from '../acceptance/testing/client.ts'
import { signUp } from '../acceptance/testing/people.ts'

/** Workers creating products (POST: not replayable), one setting consent (PUT: idempotent), readers scanning. */
const CREATORS = 3
const READERS = 2
/** What a client may see of a dead instance, and then retries when the write is idempotent. */
const GATEWAY = new Set([502, 503])
/** A pause between a creator's writes, so that the projectors keep up and reads see writes within x-min-position's wait. */
const PACE_MS = 100

/** The codes of `products` that `instance` does not read back as theirs, with x-min-position; read a few at a time. */
async function unreadable(instance: Client, products: { productId: string; qrCode: string }[], minPosition: number): Promise<string[]> {
  const missing: string[] = []
  for (let start = 0; start < products.length; start += 16) {
    await Promise.all(
      products.slice(start, start + 16).map(async ({ productId, qrCode }) => {
        const scan = await instance.send(`GET /api/products/${qrCode}`, { headers: { 'x-min-position': String(minPosition) } })
        if (scan.status !== 200 || scan.json.productId !== productId) missing.push(`${productId}: ${scan.status}`)
      }),
    )
  }
  return missing
}

const cluster = clusterOf(t, { instances: ['CLUSTER_COMMAND_URLS', 'CLUSTER_QUERY_URLS'] })
if (cluster) {
  const { api, commandApis, queryApis } = cluster

  t.test('kill -9 of a command API and a query API under load loses no acknowledged write', async t => {
    const { brand, product, productBody } = await clusterBrand(t, api, 'Kill')
    const owner = await signUp(t, api, { displayName: `Kill owner ${Date.now().toString(36)}` })
    const seed = await product(t, `KS-${Date.now().toString(36)}`)
    await api.call(t, 'POST /api/ownership/transfer', { as: brand, body: { productId: seed.productId, toUserId: owner.userId } })
    await eventually(() => api.send(`GET /api/products/${seed.qrCode}`), reply => reply.status === 200, { timeoutMs: 30_000 })

    let running = true
    const creates: (Outcome & { serialNumber: string })[] = []
    const consents: (Outcome & { visibility: string; tries: number })[] = []
    const reads: Outcome[] = []
    const creator = async (worker: number) => {
      for (let n = 0; running; n++) {
        const serialNumber = `K${worker}-${n}-${Date.now().toString(36)}`
        creates.push({ serialNumber, ...(await attempt(api, 'POST /api/products', { as: brand, body: productBody(serialNumber) })) })
        await sleep(PACE_MS)
      }
    }
    const consentSetter = async () => {
      for (let n = 0; running; n++) {
        const visibility = n % 2 ? 'anonymous' : 'public'
        let outcome: Outcome
        let tries = 0
        do outcome = await attempt(api, `PUT /api/ownership/${seed.productId}/consent`, { as: owner, body: { visibility } })
        while (++tries < 20 && (GATEWAY.has(outcome.status) || outcome.status === 0) && (await sleep(200), true))
        consents.push({ visibility, tries, ...outcome })
      }
    }
    const reader = async () => {
      while (running) reads.push(await attempt(api, `GET /api/products/${seed.qrCode}`))
    }
    const load = Promise.all([
      ...Array.from({ length: CREATORS }, (_, worker) => creator(worker)),
      consentSetter(),
      ...Array.from({ length: READERS }, reader),
    ])

    await sleep(2000)
    await killProcess('command-api-1')
    const commandKilledAt = Date.now()
    await sleep(2000)
    await killProcess('query-api-1')
    const queryKilledAt = Date.now()
    await sleep(4000)
    const restartedAt = Date.now()
    await Promise.all([startProcess('command-api-1'), startProcess('query-api-1')])
    await sleep(2000)
    running = false
    await load

    const acknowledged = creates.filter(outcome => outcome.status === 201)
    const unanswered = creates.filter(outcome => outcome.status !== 201)
    const retried = consents.filter(outcome => outcome.tries > 1).length
    t.comment(`creates: ${acknowledged.length} acknowledged, unanswered: [${unanswered.map(outcome => outcome.status)}]; consents: ${consents.length}, ${retried} retried; reads: ${reads.length}`)
    t.ok(acknowledged.length > 20, `${acknowledged.length} products created under load`)
    t.same(unanswered.filter(outcome => !GATEWAY.has(outcome.status)), [], 'a create that failed failed at the gateway: no 500, no 409 of a replayed POST, no hang')
    t.ok(unanswered.length <= CREATORS, `${unanswered.length} create(s) unanswered, at most one in flight per worker on the killed instance`)
    t.ok(acknowledged.filter(outcome => outcome.at > queryKilledAt && outcome.at < restartedAt).length >= 5, 'writes kept succeeding with the instances dead')
    t.same(consents.filter(outcome => outcome.status !== 200), [], 'every idempotent write was acknowledged, retried on 502/503 when needed')
    t.same(reads.filter(outcome => outcome.status !== 200).map(({ status, error }) => ({ status, error })), [], 'every read answered 200: the balancer routes around the dead query API')

    const newest = Math.max(...[...acknowledged, ...consents].map(outcome => Number(outcome.reply!.json.position ?? 0)))
    const products = acknowledged.map(outcome => outcome.reply!.json as { productId: string; qrCode: string })
    const last = products.at(-1)!
    await eventually(() => api.send(`GET /api/products/${last.qrCode}`), reply => reply.status === 200, { timeoutMs: 30_000 })
    for (const [index, instance] of [api, ...queryApis].entries()) {
      t.same(await unreadable(instance, products, newest), [], `${index === 0 ? 'the balancer' : `query API ${index}`} reads every acknowledged product`)
    }
    const headers = { 'x-min-position': String(newest) }
    const lastConsent = consents.at(-1)!
    const seen = await queryApis[0]!.call(t, `GET /api/products/${seed.qrCode}`, { headers })
    t.same(seen.currentOwner, lastConsent.visibility === 'public' ? { userId: owner.userId, displayName: owner.displayName } : null, 'the restarted query API reads the last consent')

    const createdWhileDead = acknowledged.find(outcome => outcome.at > commandKilledAt && outcome.at < restartedAt)!
    const reprint = await commandApis[0]!.call(t, `POST /api/products/${createdWhileDead.reply!.json.productId}/qr`, { as: brand }, 201)
    const reread = await queryApis[0]!.call(t, `GET /api/products/${reprint.qrCode}`, { headers: { 'x-min-position': reprint.position } })
    t.equal(reread.productId, createdWhileDead.reply!.json.productId, 'the restarted command API writes to a product created while it was dead')
  })
}
