/**
 * Suite 3, stream length: the latency of one transfer (POST /api/ownership/transfer, one at a time) on products
 * whose streams hold 10, 100, 1,000 and 10,000 events. Goal: the longest within 2x of the shortest.
 *
 * Each timed transfer adds an event, so a product takes at most length/10 of them (its stream grows by at most
 * 10 %) and there are as many products of each length as that needs. Each length is measured in a block of its own
 * (shortest first): interleaved, the short streams' transfers paid for the garbage collection of the long ones.
 */
import { newDataDir } from '../lib/config.ts'
import { expectOk, transfer } from '../lib/http.ts'
import { runWorker, startServer } from '../lib/processes.ts'
import { compare, plain, type Figure } from '../lib/results.ts'
import { asBrand, brandSpec, consumerSpec, registerUsers, seedLongProducts, type LongProduct } from '../lib/seed.ts'
import { round, summarize } from '../lib/stats.ts'
import type { Suite } from '../lib/suite.ts'

const WARMUP = 5

export const streamLengthSuite: Suite = {
  id: 'streams',
  title: '3. Stream length',
  async run(ctx) {
    const { options } = ctx
    const lengths = [...options.streamLengths].sort((x, y) => x - y)
    const samples = options.streamSamples
    const dir = await newDataDir('streams', options.dataRoot, options.keep)
    try {
      const [brand, a, b] = await registerUsers(dir.path, [brandSpec('Atelier Leste'), consumerSpec('Carla'), consumerSpec('Duarte')])
      const tokens = new Map([brand!, a!, b!].map(user => [user.userId, user.token]))
      const plan = new Map<number, { perProduct: number; products: LongProduct[] }>()
      for (const length of lengths) {
        const perProduct = Math.max(1, Math.floor(length / 10))
        const products = await seedLongProducts(dir.path, asBrand(brand!), a!.userId, b!.userId, length, Math.ceil((samples + WARMUP) / perProduct))
        plan.set(length, { perProduct, products })
      }
      await runWorker({ kind: 'catchUp', dataDir: dir.path })
      const loads = await runWorker({ kind: 'streamRead', dataDir: dir.path, streamIds: lengths.map(length => plan.get(length)!.products[0]!.streamId), repeat: 5 })

      const latencies = new Map<number, number[]>(lengths.map(length => [length, []]))
      const server = await startServer({ mode: 'app', dataDir: dir.path, logLevel: options.logLevel })
      try {
        for (const length of lengths) {
          for (let k = 0; k < WARMUP + samples; k++) {
            const { perProduct, products } = plan.get(length)!
            const product = products[Math.floor(k / perProduct)]!
            const to = product.owner === a!.userId ? b!.userId : a!.userId
            const { ms, position } = await transfer(server.url, tokens.get(product.owner)!, product.productId, to)
            product.owner = to
            if (k >= WARMUP) latencies.get(length)!.push(ms)
            // Untimed: lets the server's projections apply this event before the next timed transfer, so that
            // no transfer pays for the projection work of the one before (a long product's is much heavier).
            await expectOk(`${server.url}/api/products/${product.productId}/details`, { headers: { 'x-min-position': position } })
          }
        }
      } finally {
        await server.stop()
      }

      const stats = new Map(lengths.map(length => [length, summarize(latencies.get(length)!)]))
      const shortest = lengths[0]!
      const longest = lengths.at(-1)!
      const figures: Figure[] = lengths.map(length => plain(`p50 transfer latency, ${length.toLocaleString('en-US')} events`, stats.get(length)!.p50, 'ms'))
      if (lengths.length > 1) {
        const at = (length: number) => `${length.toLocaleString('en-US')}-event product`
        figures.push(
          compare(`p50 latency, ${at(longest)}`, stats.get(longest)!.p50, 'ms', { name: at(shortest), value: stats.get(shortest)!.p50 }, { max: 2, text: 'ratio ≤ 2' }),
          compare(`p99 latency, ${at(longest)}`, stats.get(longest)!.p99, 'ms', { name: at(shortest), value: stats.get(shortest)!.p99 }),
        )
      }
      const loadRows = loads.streams!.map(
        stream => `${stream.events.toLocaleString('en-US')} events: read ${round(stream.readRawMs, 2)} ms raw, ${round(stream.readDecryptedMs, 2)} ms through the decrypting log, fold ${round(stream.foldMs, 2)} ms`,
      )
      return {
        params: { lengths, samples, warmup: WARMUP },
        figures,
        notes: [
          `One transfer at a time from the benchmark process (keep-alive fetch), ${samples} timed per length after ${WARMUP} untimed, one length after the other; client-side latency. After each transfer an untimed read with x-min-position waits for the projections, so that a transfer never shares the server with the projection work of the one before.`,
          ...lengths.map(length => {
            const s = stats.get(length)!
            return `${length.toLocaleString('en-US')} events (${plan.get(length)!.products.length} product(s)): mean ${s.mean} ms, p50 ${s.p50} ms, p90 ${s.p90} ms, p99 ${s.p99} ms, max ${s.max} ms.`
          }),
          `Loading the stream as handleCommand does (median of 5, in a separate process, no HTTP): ${loadRows.join('; ')}.`,
        ],
        details: { latencies: Object.fromEntries(stats), streamLoads: loads.streams },
      }
    } finally {
      await dir.remove()
    }
  },
}
