/**
 * Suite 1, QR scan: GET /api/products/{qrCode} over HTTP on a warm store of N products (random codes), against
 * a bare Fastify route answering a constant JSON body of the same size, in turn for --rounds rounds, the median round
 * kept. Goal: requests/s ratio >= 0.7. With MONGODB_URL and REDIS_URL, also the same load on the production
 * adapters (qrScanStack.ts).
 */
import { newDataDir } from '../lib/config.ts'
import { expectOk, getEach } from '../lib/http.ts'
import { failures, runLoad, runWorker, startServer } from '../lib/processes.ts'
import { compare, plain } from '../lib/results.ts'
import { asBrand, brandSpec, registerUsers, seedProducts } from '../lib/seed.ts'
import { profiledLoad, type Suite } from '../lib/suite.ts'
import { medianRound, round } from '../lib/stats.ts'
import type { LoadResult } from '../loadgen.ts'
import { scanOnStack } from './qrScanStack.ts'

interface Round {
  scanned: LoadResult
  constant: LoadResult
  ratio: number
}

export const qrScanSuite: Suite = {
  id: 'qr',
  title: '1. QR scan',
  async run(ctx) {
    const { options } = ctx
    const dir = await newDataDir('qr', options.dataRoot, options.keep)
    try {
      const [brand] = await registerUsers(dir.path, [brandSpec('Atelier Norte')])
      let start = Date.now()
      const seeded = await seedProducts(dir.path, asBrand(brand!), options.products)
      const seedSeconds = (Date.now() - start) / 1000
      ctx.log(`seeded ${options.products} products (${seeded.events} events) in ${seedSeconds.toFixed(1)} s`)
      start = Date.now()
      const catchUp = await runWorker({ kind: 'catchUp', dataDir: dir.path })
      ctx.log(`projected them in ${catchUp.seconds.toFixed(1)} s`)
      const read = await runWorker({ kind: 'readAll', dataDir: dir.path })

      const paths = seeded.qrCodes.map(code => `/api/products/${code}`)
      const load = { connections: options.connections, seconds: options.duration, warmupSeconds: options.warmupSeconds, scenario: { kind: 'get' as const, paths } }

      const app = await startServer({ mode: 'app', dataDir: dir.path, logLevel: options.logLevel })
      const sample = await expectOk(`${app.url}${paths[0]}`)
      // A warm store: every code scanned once, so that the load finds every product in the query API's scan cache.
      const primingSeconds = await getEach(app.url, paths, options.connections)
      const bare = await startServer({ mode: 'bare', route: '/api/products/:qrCode', body: sample.body, contentType: sample.headers.get('content-type') ?? 'application/json' })
      const bareSample = await expectOk(`${bare.url}${paths[0]}`)
      // Both servers stay up; the load goes to one, then the other, each round.
      const rounds: Round[] = []
      for (let i = 0; i < options.rounds; i++) {
        const scanned = await runLoad({ ...load, url: app.url })
        const constant = await runLoad({ ...load, url: bare.url })
        rounds.push({ scanned, constant, ratio: scanned.requestsPerSecond / constant.requestsPerSecond })
        ctx.log(`round ${i + 1}: ${Math.round(scanned.requestsPerSecond)} vs ${Math.round(constant.requestsPerSecond)} req/s: ratio ${round(rounds.at(-1)!.ratio)}`)
      }
      const appServer = await app.stop()
      await bare.stop()
      const { scanned, constant } = medianRound(rounds, ({ ratio }) => ratio)

      const onStack = await scanOnStack(ctx, { load, embedded: scanned, bare: constant, embeddedCatchUp: catchUp })

      if (ctx.profile) {
        const server = { mode: 'app' as const, dataDir: dir.path, logLevel: options.logLevel }
        await profiledLoad(ctx, 'qr-scan', 'QR scan: GET /api/products/{qrCode}', server, { ...load, seconds: options.profileSeconds }, url =>
          getEach(url, paths, options.connections),
        )
      }

      const failed = failures(scanned)
      return {
        params: { rounds: options.rounds, products: options.products, mongoProducts: options.mongoProducts, connections: options.connections, seconds: options.duration, warmupSeconds: options.warmupSeconds, logLevel: options.logLevel },
        figures: [
          compare('requests/s', scanned.requestsPerSecond, 'req/s', { name: 'bare Fastify, constant body', value: constant.requestsPerSecond }, { min: 0.7, text: 'ratio ≥ 0.7' }),
          compare('p99 latency', scanned.latency.p99, 'ms', { name: 'bare Fastify', value: constant.latency.p99 }),
          compare('p50 latency', scanned.latency.p50, 'ms', { name: 'bare Fastify', value: constant.latency.p50 }),
          plain('server peak RSS', appServer.maxRssMb, 'MB'),
          compare('store catch-up by the embedded service', catchUp.eventsPerSecond, 'events/s', { name: 'plain sequential read of the log', value: read.eventsPerSecond }),
          ...onStack.figures,
        ],
        notes: [
          `Store: ${options.products.toLocaleString('en-US')} products (${seeded.events.toLocaleString('en-US')} events) written straight to the log in ${seedSeconds.toFixed(1)} s, caught up by the embedded service's own projectors in ${catchUp.seconds.toFixed(1)} s (the measured server is then a restart with nothing left to catch up); every request scans a code picked at random among all of them.`,
          `Response body ${Buffer.byteLength(sample.body)} bytes (baseline ${Buffer.byteLength(bareSample.body)} bytes, the same JSON served as a constant string).`,
          `Warm: before the load every code was scanned once (${paths.length.toLocaleString('en-US')} scans, ${options.connections} at a time, in ${primingSeconds.toFixed(1)} s), so that the load is answered from the query API's scan cache (SCAN_CACHE_SIZE, 100,000 products by default), as a deployment's popular products are.`,
          `Load: autocannon in its own process, ${options.connections} connections, ${options.warmupSeconds} s warm-up then ${options.duration} s measured; ${scanned.requests.toLocaleString('en-US')} scans, ${failed} not 2xx/errors/timeouts (baseline ${constant.requests.toLocaleString('en-US')}).`,
          `Rounds: the app, then the bare route, each under that load, ${options.rounds} time(s) in a row with both servers up; the figures are those of the round with the median ratio (ratios ${rounds.map(({ ratio }) => round(ratio)).join(', ')}).`,
          'Server and load generator share the 2 cores: the bare baseline is bound by the load generator, the app by the server, so the ratio understates what a bigger machine would show; it is still the figure to compare between runs.',
          `Catch-up: app/embedded.ts started on the seeded log with empty read models, until every projector (read models, publisher and the notification consumer behind it, QR cache) had applied the head: ${catchUp.events.toLocaleString('en-US')} events in ${catchUp.seconds.toFixed(1)} s, against SqliteEventLog.readAll() of the same file in ${read.seconds.toFixed(1)} s.`,
          "The embedded app's QR look-up cache lives in its process, so the restarted server starts with it empty while the QR cache's checkpoint (kept in SQLite) says it is up to date: a product's first scan finds the code's product in the qr_codes read model instead; later scans of it are answered from the query API's scan cache in memory (SCAN_CACHE_SIZE, 100,000 products by default).",
          ...onStack.notes,
        ],
        details: { scanned, constant, rounds: rounds.map(({ scanned, constant, ratio }) => ({ app: scanned.requestsPerSecond, bare: constant.requestsPerSecond, ratio: round(ratio) })), catchUp, read, seedSeconds: round(seedSeconds), ...(onStack.details && { onStack: onStack.details }) },
      }
    } finally {
      await dir.remove()
    }
  },
}
