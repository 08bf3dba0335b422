/**
 * Kafka stopped for 30 s while ownership keeps changing hands through the cluster: the writes go on (the log is
 * PostgreSQL), and once the broker is back every notification arrives in the inboxes exactly once: none lost by
 * the publisher or the consumer, none doubled by a send or a delivery made again after the outage.
 */
import t from 'tap'
import { signUp } from '../acceptance/testing/people.ts'
import { attempt, clusterBrand, clusterOf, sleep, startServer, stopServer } from '../testing/cluster.ts'

const OUTAGE_MS = 30_000
const PRODUCTS = 4
/** Between transfers: ~2 a second, which the notification consumer on FerretDB catches up with soon after the outage. */
const TRANSFER_PAUSE_MS = 400
/** How long the inboxes may take to fill once the broker is back. */
const CATCH_UP_MS = 90_000

t.setTimeout(300_000)

const cluster = clusterOf(t, { instances: [] })
if (cluster) {
  const { api } = cluster

  t.test('Kafka stopped for 30 s mid-stream: every notification arrives once', async t => {
    const { brand, product } = await clusterBrand(t, api, 'Kafka')
    const suffix = Date.now().toString(36)
    const people = [await signUp(t, api, { displayName: `Kafka Ann ${suffix}` }), await signUp(t, api, { displayName: `Kafka Bo ${suffix}` })]
    /** Per person, per product: the product_received notifications due. */
    const due = people.map(() => new Map<string, number>())
    const holders: (typeof people)[number][] = []
    const products: string[] = []
    for (let n = 0; n < PRODUCTS; n++) {
      const { productId } = await product(t, `KF-${n}-${suffix}`)
      await api.call(t, 'POST /api/ownership/transfer', { as: brand, body: { productId, toUserId: people[0]!.userId } })
      due[0]!.set(productId, 1)
      products.push(productId)
      holders.push(people[0]!)
    }

    // Each product passes back and forth between the two people, one transfer after the other, until told to stop.
    let running = true
    const refused: string[] = []
    let last = 0
    const transfers = (async () => {
      for (let n = 0; running; n++) {
        const index = n % PRODUCTS
        const productId = products[index]!
        const from = holders[index]!
        const to = people[from === people[0] ? 1 : 0]!
        const outcome = await attempt(api, 'POST /api/ownership/transfer', { as: from, body: { productId, toUserId: to.userId } })
        if (outcome.status !== 200) {
          refused.push(`${outcome.status} ${outcome.error ?? outcome.reply?.text.slice(0, 200)}`)
          continue
        }
        last = Math.max(last, Number(outcome.reply!.json.position))
        holders[index] = to
        const inbox = due[people.indexOf(to)]!
        inbox.set(productId, (inbox.get(productId) ?? 0) + 1)
        await sleep(TRANSFER_PAUSE_MS)
      }
    })()

    await sleep(3000)
    await stopServer('kafka')
    await sleep(OUTAGE_MS)
    await startServer('kafka')
    await sleep(3000)
    running = false
    await transfers
    t.same(refused, [], 'every transfer was acknowledged while the broker was away')

    const expected = due.reduce((sum, inbox) => sum + [...inbox.values()].reduce((a, b) => a + b, 0), 0)
    t.comment(`${expected} notifications due, the last transfer at position ${last}`)
    const deadline = Date.now() + CATCH_UP_MS
    for (const [index, person] of people.entries()) {
      const inbox = async () => {
        const items: { id: string; type: string; productId: string }[] = []
        for (let cursor: string | null = null, first = true; first || cursor; first = false) {
          const query: string = `limit=100${cursor ? `&cursor=${cursor}` : ''}`
          const page = await api.send(`GET /api/notifications?${query}`, { as: person, headers: { 'x-min-position': String(last) } })
          if (page.status !== 200) throw new Error(`GET /api/notifications: ${page.status} ${page.text}`)
          items.push(...page.json.items)
          cursor = page.json.nextCursor
        }
        return items.filter(item => item.type === 'product_received')
      }
      const wanted = [...due[index]!.values()].reduce((a, b) => a + b, 0)
      let received = await inbox()
      while (received.length < wanted && Date.now() < deadline) {
        await sleep(1000)
        received = await inbox()
      }
      const counts = new Map<string, number>()
      for (const { productId } of received) counts.set(productId, (counts.get(productId) ?? 0) + 1)
      t.same(Object.fromEntries(counts), Object.fromEntries(due[index]!), `${person.displayName}: each product received notified once per transfer`)
      t.equal(new Set(received.map(item => item.id)).size, received.length, `${person.displayName}: no notification twice`)
    }
  })
}
