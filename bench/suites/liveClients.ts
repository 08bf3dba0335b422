/**
 * Suite 7, what idle live clients cost the writers (issue 18): transfers/s over HTTP on one server, without live
 * SSE clients, then with 1,000 of them open on products that are not transferred, then without again (the two
 * halves without count as one baseline, the machine drifting). Goal: the clients cost at most 10 %
 * (ratio ≥ 0.9), as one log subscription per process serves them all.
 */
import { newDataDir } from '../lib/config.ts'
import { transfer } from '../lib/http.ts'
import { openLiveClients } from '../lib/liveClients.ts'
import { failures, runLoad, runWorker, startServer } from '../lib/processes.ts'
import { compare } from '../lib/results.ts'
import { asBrand, brandSpec, consumerSpec, registerUsers, seedOwnedProducts, seedProducts } from '../lib/seed.ts'
import type { Suite } from '../lib/suite.ts'
import type { LoadResult } from '../loadgen.ts'

const CLIENTS = 1_000
/** Products the clients follow, ten clients each. */
const FOLLOWED = 100

export const liveClientsSuite: Suite = {
  id: 'live',
  title: '7. Transfers with live clients',
  async run({ options }) {
    const dir = await newDataDir('live', options.dataRoot, options.keep)
    try {
      const [brand, a, b] = await registerUsers(dir.path, [brandSpec('Atelier Vivo'), consumerSpec('Ana'), consumerSpec('Bruno')])
      // Each load gets products of its own, all handed to A, so that no load finds a product where another left it.
      const sets = []
      for (let load = 0; load < 3; load++) sets.push(await seedOwnedProducts(dir.path, asBrand(brand!), a!.userId, options.transferProducts))
      const { productIds: followed } = await seedProducts(dir.path, asBrand(brand!), FOLLOWED)
      await runWorker({ kind: 'catchUp', dataDir: dir.path })

      const server = await startServer({ mode: 'app', dataDir: dir.path, logLevel: options.logLevel })
      try {
        await transfer(server.url, a!.token, sets[0]![0]!, b!.userId)
        await transfer(server.url, b!.token, sets[0]![0]!, a!.userId)
        const load = (productIds: string[], seconds: number) =>
          runLoad({ url: server.url, connections: options.writeConnections, seconds, warmupSeconds: options.warmupSeconds, scenario: { kind: 'transfer', productIds, a: a!, b: b! } })

        const before = await load(sets[0]!, options.duration / 2)
        const clients = await openLiveClients(server.url, followed.map(productId => `/api/products/${productId}/live`), CLIENTS)
        const withClients = await load(sets[1]!, options.duration)
        const openThroughout = clients.stillOpen()
        clients.close()
        const after = await load(sets[2]!, options.duration / 2)
        const rate = (...loads: LoadResult[]) => loads.reduce((sum, load) => sum + load.requests, 0) / loads.reduce((sum, load) => sum + load.seconds, 0)
        const without = rate(before, after)

        return {
          params: { clients: CLIENTS, followedProducts: FOLLOWED, connections: options.writeConnections, products: options.transferProducts, seconds: options.duration, warmupSeconds: options.warmupSeconds },
          figures: [
            compare(`transfers/s with ${CLIENTS.toLocaleString('en-US')} live SSE clients`, rate(withClients), 'req/s', { name: 'transfers/s without', value: without }, { min: 0.9, text: 'ratio ≥ 0.9 (cost ≤ 10 %)' }),
          ],
          notes: [
            `One server (the app on the embedded adapters). The transfer load of suite 2 (${options.writeConnections} connections, A → B → A, ${options.transferProducts} products per load, each load a set of its own) for ${options.duration / 2} s without live clients (${Math.round(rate(before))} transfers/s), then ${options.duration} s with ${clients.opened.toLocaleString('en-US')} of ${CLIENTS.toLocaleString('en-US')} \`GET /api/products/{id}/live\` streams open (ten on each of ${FOLLOWED} products the load does not touch; ${openThroughout} still open at its end), then ${options.duration / 2} s without again (${Math.round(rate(after))} transfers/s); the two halves without are the baseline. The clients are held by the bench's own process, not the load generator's.`,
            `Not 2xx/errors/timeouts: ${failures(before) + failures(withClients) + failures(after)} of ${(before.requests + withClients.requests + after.requests).toLocaleString('en-US')} transfers.`,
          ],
          details: { before, withClients, after, clientsOpened: clients.opened, clientsOpenAtTheEnd: openThroughout },
        }
      } finally {
        await server.stop()
      }
    } finally {
      await dir.remove()
    }
  },
}
