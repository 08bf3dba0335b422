/**
 * Suite 2, command throughput: concurrent POST /api/ownership/transfer (auth, load the stream, decide, append),
 * against raw appends of the same events (one OwnershipTransferred per append, with its expected revision)
 * to the same event log file, without HTTP. Goal: ratio >= 0.5.
 */
import { newDataDir } from '../lib/config.ts'
import { transferred } from '../lib/events.ts'
import { transfer } from '../lib/http.ts'
import { runLoad, runWorker, startServer } from '../lib/processes.ts'
import { compare, plain } from '../lib/results.ts'
import { asBrand, brandSpec, consumerSpec, registerUsers, writeStreams } from '../lib/seed.ts'
import { newProduct, qrCodes } from '../lib/events.ts'
import { profiledLoad, type Suite } from '../lib/suite.ts'

export const commandSuite: Suite = {
  id: 'commands',
  title: '2. Command throughput',
  async run(ctx) {
    const { options } = ctx
    const dir = await newDataDir('commands', options.dataRoot, options.keep)
    try {
      const [brand, a, b] = await registerUsers(dir.path, [brandSpec('Atelier Sul'), consumerSpec('Ana'), consumerSpec('Bruno')])
      // Products made by the brand and handed to A: each then goes A → B → A … under the load. The baseline
      // gets a set of its own, made alike, so that neither side moves the other's products.
      const codes = qrCodes()
      const seedSet = async () => {
        const productIds: string[] = []
        await writeStreams(dir.path, options.transferProducts, i => {
          const product = newProduct(codes, asBrand(brand!), i)
          productIds.push(product.productId)
          return { streamId: product.streamId, expected: 'no_stream', events: [...product.events, transferred(product.productId, brand!.userId, a!.userId, 1)] }
        })
        return productIds
      }
      const productIds = await seedSet()
      const rawProductIds = await seedSet()
      await runWorker({ kind: 'catchUp', dataDir: dir.path })

      // The baseline runs just before and just after the HTTP load (half the time each), and counts as one:
      // the disk's fsync latency drifts with what else the machine does.
      const rawAppend = () => runWorker({ kind: 'rawAppend', dataDir: dir.path, productIds: rawProductIds, users: [a!.userId, b!.userId], seconds: options.duration / 2 })
      const rawBefore = await rawAppend()
      const server = await startServer({ mode: 'app', dataDir: dir.path, logLevel: options.logLevel })
      // One round trip by hand first: a broken route fails here with its answer, not as a pile of non-2xx.
      await transfer(server.url, a!.token, productIds[0]!, b!.userId)
      await transfer(server.url, b!.token, productIds[0]!, a!.userId)
      const scenario = { kind: 'transfer' as const, productIds, a: a!, b: b! }
      const http = await runLoad({ url: server.url, connections: options.writeConnections, seconds: options.duration, warmupSeconds: options.warmupSeconds, scenario })
      const httpServer = await server.stop()

      const rawAfter = await rawAppend()
      const raw = {
        events: rawBefore.events + rawAfter.events,
        eventsPerSecond: (rawBefore.events + rawAfter.events) / (rawBefore.seconds + rawAfter.seconds),
        latency: { p50: (rawBefore.latency!.p50 + rawAfter.latency!.p50) / 2, p99: Math.max(rawBefore.latency!.p99, rawAfter.latency!.p99) },
      }

      if (ctx.profile) {
        await profiledLoad(ctx, 'transfer', 'Transfer: POST /api/ownership/transfer', { mode: 'app', dataDir: dir.path, logLevel: options.logLevel }, {
          connections: options.writeConnections,
          seconds: options.profileSeconds,
          warmupSeconds: 0,
          scenario,
        })
      }

      const failed = http.non2xx + http.errors + http.timeouts
      return {
        params: { connections: options.writeConnections, products: options.transferProducts, seconds: options.duration, warmupSeconds: options.warmupSeconds },
        figures: [
          compare('transfers/s over HTTP', http.requestsPerSecond, 'events/s', { name: 'raw append, no HTTP', value: raw.eventsPerSecond }, { min: 0.5, text: 'ratio ≥ 0.5' }),
          compare('p99 transfer latency', http.latency.p99, 'ms', { name: 'raw append p99', value: raw.latency.p99 }),
          compare('p50 transfer latency', http.latency.p50, 'ms', { name: 'raw append p50', value: raw.latency.p50 }),
          plain('server peak RSS', httpServer.maxRssMb, 'MB'),
        ],
        notes: [
          `${options.writeConnections} connections, each transferring its own product A → B, then back B → A with B's token, then taking the next of ${options.transferProducts} products: every request is a valid transfer that appends one event; ${http.requests.toLocaleString('en-US')} transfers measured, ${failed} not 2xx/errors/timeouts (status codes ${JSON.stringify(http.statusCodes)}).`,
          `Baseline: a fresh process appends the same OwnershipTransferred events to ${options.transferProducts} products made alike, in the same SQLite log file (SqliteEventLog.append with the expected revision, one commit each: the log runs synchronous=FULL, so each append waits for its fsync, as a transfer does) for ${options.duration / 2} s just before and ${options.duration / 2} s just after the HTTP load (${Math.round(rawBefore.eventsPerSecond)} and ${Math.round(rawAfter.eventsPerSecond)} appends/s; fsync latency drifts with the machine's other work): ${raw.events.toLocaleString('en-US')} appends, one at a time. SQLite serialises appends, so concurrency cannot help the baseline; the HTTP figure includes the server's projections applying every event in the same process.`,
        ],
        details: { http, raw, rawBefore, rawAfter },
      }
    } finally {
      await dir.remove()
    }
  },
}
