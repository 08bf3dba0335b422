/**
 * Suite 5, read-your-writes: how long after a write's response the read model shows it (p50/p99), polling
 * GET /api/products/{id}/details, and the same read made once with x-min-position; then /history (read
 * straight from the log) of a long product against its read-model /details.
 */
import { newDataDir } from '../lib/config.ts'
import { newProduct, qrCodes, transferred } from '../lib/events.ts'
import { expectOk, timed, transfer } from '../lib/http.ts'
import { runLoad, runWorker, startServer } from '../lib/processes.ts'
import { compare, plain } from '../lib/results.ts'
import { asBrand, brandSpec, consumerSpec, registerUsers, seedLongProducts, writeStreams } from '../lib/seed.ts'
import { msSince, summarize } from '../lib/stats.ts'
import { profiledLoad, type Suite } from '../lib/suite.ts'

const POOL = 20
/** A read model that has not shown a write after this long counts as a failure of the suite. */
const GIVE_UP_MS = 10_000

export const readYourWritesSuite: Suite = {
  id: 'ryw',
  title: '5. Read-your-writes',
  async run(ctx) {
    const { options } = ctx
    const dir = await newDataDir('ryw', options.dataRoot, options.keep)
    try {
      const [brand, a, b] = await registerUsers(dir.path, [brandSpec('Atelier Centro'), consumerSpec('Nuno'), consumerSpec('Olga')])
      const tokens = new Map([a!, b!].map(user => [user.userId, user.token]))
      const codes = qrCodes()
      const pool: { productId: string; owner: string }[] = []
      await writeStreams(dir.path, POOL, i => {
        const product = newProduct(codes, asBrand(brand!), i)
        pool.push({ productId: product.productId, owner: a!.userId })
        return { streamId: product.streamId, expected: 'no_stream', events: [...product.events, transferred(product.productId, brand!.userId, a!.userId, 1)] }
      })
      const [long] = await seedLongProducts(dir.path, asBrand(brand!), a!.userId, b!.userId, options.historyEvents)
      await runWorker({ kind: 'catchUp', dataDir: dir.path })

      const server = await startServer({ mode: 'app', dataDir: dir.path, logLevel: options.logLevel })
      const details = (productId: string, headers: Record<string, string> = {}) => timed(`${server.url}/api/products/${productId}/details`, { headers })
      const write = async (i: number) => {
        const product = pool[i % POOL]!
        const to = product.owner === a!.userId ? b!.userId : a!.userId
        const written = await transfer(server.url, tokens.get(product.owner)!, product.productId, to)
        product.owner = to
        return { productId: product.productId, ...written }
      }
      const polled: number[] = []
      const polls: number[] = []
      const plainGets: number[] = []
      const waited: number[] = []
      let load
      try {
        for (let i = 0; i < options.rywSamples; i++) {
          const { productId, revision } = await write(i)
          const start = process.hrtime.bigint()
          for (let n = 1; ; n++) {
            const read = await details(productId)
            plainGets.push(read.ms)
            if (read.status === 200 && (JSON.parse(read.body) as { revision: number }).revision >= revision) {
              polled.push(msSince(start))
              polls.push(n)
              break
            }
            if (msSince(start) > GIVE_UP_MS) throw new Error(`the read model did not show revision ${revision} of ${productId} within ${GIVE_UP_MS} ms`)
          }
        }
        for (let i = 0; i < options.rywSamples; i++) {
          const { productId, revision, position } = await write(i)
          const start = process.hrtime.bigint()
          const read = await details(productId, { 'x-min-position': position })
          waited.push(msSince(start))
          const shown = (JSON.parse(read.body) as { revision: number }).revision
          if (shown < revision) throw new Error(`x-min-position ${position} answered revision ${shown}, not ${revision}`)
        }

        await expectOk(`${server.url}/api/products/${long!.productId}/history`)
        const readLoad = (path: string) =>
          runLoad({ url: server.url, connections: Math.min(8, options.connections), seconds: options.duration, warmupSeconds: options.warmupSeconds, scenario: { kind: 'get', paths: [path] } })
        load = {
          history: await readLoad(`/api/products/${long!.productId}/history`),
          details: await readLoad(`/api/products/${long!.productId}/details`),
        }
      } finally {
        await server.stop()
      }
      if (ctx.profile) {
        const history = `/api/products/${long!.productId}/history`
        await profiledLoad(ctx, 'history', 'GET /api/products/{productId}/history, 1,000 events', { mode: 'app', dataDir: dir.path, logLevel: options.logLevel }, {
          connections: Math.min(8, options.connections),
          seconds: options.profileSeconds,
          warmupSeconds: 0,
          scenario: { kind: 'get', paths: [history] },
        }, url => expectOk(`${url}${history}`))
      }

      const visible = summarize(polled)
      const minPosition = summarize(waited)
      const get = summarize(plainGets)
      const at = `${long!.events.toLocaleString('en-US')}-event product`
      return {
        params: { samples: options.rywSamples, historyEvents: long!.events, connections: Math.min(8, options.connections), seconds: options.duration },
        figures: [
          compare('write → visible in /details, p50', visible.p50, 'ms', { name: 'one /details GET p50', value: get.p50 }),
          compare('write → visible in /details, p99', visible.p99, 'ms', { name: 'one /details GET p99', value: get.p99 }),
          plain('read with x-min-position after the write, p50', minPosition.p50, 'ms'),
          plain('read with x-min-position after the write, p99', minPosition.p99, 'ms'),
          compare(`/history req/s, ${at}`, load.history.requestsPerSecond, 'req/s', { name: '/details (read model)', value: load.details.requestsPerSecond }),
          compare(`/history p99, ${at}`, load.history.latency.p99, 'ms', { name: '/details p99', value: load.details.latency.p99 }),
        ],
        notes: [
          `Polling: after each of ${options.rywSamples} transfers (one at a time, over ${POOL} products), GET /details back to back until its revision reaches the write's ETag; the time runs from the write's response to the answer that shows it (one GET's own round trip included): ${polls.filter(n => n === 1).length} of ${polls.length} writes were visible at the first GET, the slowest after ${Math.max(...polls)}.`,
          `x-min-position: after each of ${options.rywSamples} more transfers, one GET /details carrying the write's position; time from the write's response to that answer (mean ${minPosition.mean} ms, max ${minPosition.max} ms).`,
          `History vs details: autocannon, ${Math.min(8, options.connections)} connections, ${options.duration} s each, on the same ${at} (${load.history.requests.toLocaleString('en-US')} vs ${load.details.requests.toLocaleString('en-US')} requests; p50 ${load.history.latency.p50} vs ${load.details.latency.p50} ms).`,
        ],
        details: { visible, minPosition, get, polls: summarize(polls), load },
      }
    } finally {
      await dir.remove()
    }
  },
}
