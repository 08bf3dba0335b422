/**
 * Suite 2, command throughput: concurrent POST /api/ownership/transfer (auth, load the stream, decide, append),
 * against raw appends of the same events (one OwnershipTransferred per append, with its expected revision)
 * to the same event log file, without HTTP: one at a time (goal: ratio >= 0.5), and from as many concurrent
 * appenders as the HTTP load has connections (which the log's group commit lets share commits).
 */
import { newDataDir } from '../lib/config.ts'
import { cpuTimeOf, type CpuTime } from '../lib/cpuTime.ts'
import { transfer } from '../lib/http.ts'
import { failures, runLoad, runWorker, startServer } from '../lib/processes.ts'
import { compare, plain } from '../lib/results.ts'
import { asBrand, brandSpec, consumerSpec, registerUsers, seedOwnedProducts } from '../lib/seed.ts'
import { profiledLoad, type Suite } from '../lib/suite.ts'
import type { WorkerResult } from '../worker.ts'

/** A baseline run before and after the HTTP load, counted as one: rate over both, p50 averaged, the worse p99. */
const bothHalves = (before: WorkerResult, after: WorkerResult) => ({
  events: before.events + after.events,
  eventsPerSecond: (before.events + after.events) / (before.seconds + after.seconds),
  latency: { p50: (before.latency!.p50 + after.latency!.p50) / 2, p99: Math.max(before.latency!.p99, after.latency!.p99) },
})

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
      const seedSet = () => seedOwnedProducts(dir.path, asBrand(brand!), a!.userId, options.transferProducts)
      const productIds = await seedSet()
      const rawProductIds = await seedSet()
      await runWorker({ kind: 'catchUp', dataDir: dir.path })

      // Each baseline runs just before and just after the HTTP load (half the time each), and counts as one:
      // the disk's fsync latency drifts with what else the machine does. The concurrent one runs closer to it.
      const concurrency = options.writeConnections
      const rawAppend = (appenders: number) =>
        runWorker({ kind: 'rawAppend', dataDir: dir.path, productIds: rawProductIds, users: [a!.userId, b!.userId], seconds: options.duration / 2, concurrency: appenders })
      const rawBefore = await rawAppend(1)
      const concurrentBefore = await rawAppend(concurrency)
      const server = await startServer({ mode: 'app', dataDir: dir.path, logLevel: options.logLevel })
      // One round trip by hand first: a broken route fails here with its answer, not as a pile of non-2xx.
      await transfer(server.url, a!.token, productIds[0]!, b!.userId)
      await transfer(server.url, b!.token, productIds[0]!, a!.userId)
      const scenario = { kind: 'transfer' as const, productIds, a: a!, b: b! }
      const load = { url: server.url, connections: options.writeConnections, scenario }
      // The warm-up runs apart, so that the server's CPU time is read over the measured load alone.
      await runLoad({ ...load, seconds: options.warmupSeconds, warmupSeconds: 0 })
      const cpuBefore = cpuTimeOf(server.pid)
      const http = await runLoad({ ...load, seconds: options.duration, warmupSeconds: 0 })
      const cpuAfter = cpuTimeOf(server.pid)
      const httpServer = await server.stop()
      const cpuPerTransfer = (ms: (time: CpuTime) => number) => (ms(cpuAfter) - ms(cpuBefore)) / http.requests

      const concurrentAfter = await rawAppend(concurrency)
      const rawAfter = await rawAppend(1)
      const raw = bothHalves(rawBefore, rawAfter)
      const concurrent = bothHalves(concurrentBefore, concurrentAfter)

      if (ctx.profile) {
        await profiledLoad(ctx, 'transfer', 'Transfer: POST /api/ownership/transfer', { mode: 'app', dataDir: dir.path, logLevel: options.logLevel }, {
          connections: options.writeConnections,
          seconds: options.profileSeconds,
          warmupSeconds: 0,
          scenario,
        })
      }

      const failed = failures(http)
      return {
        params: { connections: options.writeConnections, appenders: concurrency, products: options.transferProducts, seconds: options.duration, warmupSeconds: options.warmupSeconds },
        figures: [
          compare('transfers/s over HTTP', http.requestsPerSecond, 'events/s', { name: 'raw append one at a time, no HTTP', value: raw.eventsPerSecond }, { min: 0.5, text: 'ratio ≥ 0.5' }),
          compare('transfers/s over HTTP, against concurrent raw appends', http.requestsPerSecond, 'events/s', { name: `raw append by ${concurrency} concurrent appenders, no HTTP`, value: concurrent.eventsPerSecond }),
          compare('p99 transfer latency', http.latency.p99, 'ms', { name: 'raw append one at a time p99', value: raw.latency.p99 }),
          compare('p99 transfer latency, against concurrent raw appends', http.latency.p99, 'ms', { name: `raw append by ${concurrency} concurrent appenders p99`, value: concurrent.latency.p99 }),
          compare('p50 transfer latency', http.latency.p50, 'ms', { name: 'raw append one at a time p50', value: raw.latency.p50 }),
          plain('server peak RSS', httpServer.maxRssMb, 'MB'),
          plain('server CPU per transfer, all threads', cpuPerTransfer(time => time.processMs), 'ms'),
          plain('server CPU per transfer, main thread', cpuPerTransfer(time => time.mainThreadMs), 'ms'),
        ],
        notes: [
          `${options.writeConnections} connections, each transferring its own product A → B, then back B → A with B's token, then taking the next of ${options.transferProducts} products: every request is a valid transfer that appends one event; ${http.requests.toLocaleString('en-US')} transfers measured, ${failed} not 2xx/errors/timeouts (status codes ${JSON.stringify(http.statusCodes)}).`,
          `Baseline one at a time (the goal's): a fresh process appends the same OwnershipTransferred events to ${options.transferProducts} products made alike, in the same SQLite log file (SqliteEventLog.append with the expected revision; the log runs synchronous=FULL, so an append resolves only once its commit is on disk, as a transfer's does), each append waiting for the one before, for ${options.duration / 2} s just before and ${options.duration / 2} s just after the HTTP load (${Math.round(rawBefore.eventsPerSecond)} and ${Math.round(rawAfter.eventsPerSecond)} appends/s; fsync latency drifts with the machine's other work): ${raw.events.toLocaleString('en-US')} appends. With nothing else in flight, every append is a commit and an fsync of its own: the rate the disk allows one writer.`,
          `Concurrent baseline: the same appends, to the same products and log file, but from ${concurrency} appenders in one process, as many as the HTTP load has connections; each takes its own share of the products and waits for its own append before making the next, as each connection waits for its answer. The log commits the appends made in the same event-loop turn together (group commit: one transaction, one fsync), so ${concurrency} appenders can share one fsync where a lone appender pays one each; this is the most the HTTP load could reach if HTTP, auth, loading the stream and deciding cost nothing. Run for ${options.duration / 2} s on each side of the HTTP load, between it and the one-at-a-time runs (${Math.round(concurrentBefore.eventsPerSecond)} and ${Math.round(concurrentAfter.eventsPerSecond)} appends/s): ${concurrent.events.toLocaleString('en-US')} appends. The HTTP figure also includes the server's projections applying every event in the same process; the baselines project nothing.`,
          `Server CPU per transfer: the user + system time the server process used during the measured load (/proc, 10 ms ticks), all its threads and its main thread alone, over the transfers measured; unlike the rates it barely moves with what else the machine runs.`,
        ],
        details: { http, raw, concurrent, rawBefore, rawAfter, concurrentBefore, concurrentAfter },
      }
    } finally {
      await dir.remove()
    }
  },
}
