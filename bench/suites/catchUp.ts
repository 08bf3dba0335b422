/**
 * Suite 4, projection catch-up: rebuilding every read model from a log of N events (ProjectionRunner.rebuild
 * over all projections, in a fresh process, read models emptied first), against a plain sequential read of the
 * same log (SqliteEventLog.readAll) in another fresh process, both --rounds times in turn, the median round kept.
 * Goal: ratio >= 0.3; and the rebuild's peak RSS. Then the time a command API takes to answer /ready on that log,
 * its read models caught up, against the same start on an empty folder (goal: within 2 s, whatever the log's length).
 */
import { newDataDir } from '../lib/config.ts'
import { runWorker } from '../lib/processes.ts'
import { medianRound, round } from '../lib/stats.ts'
import type { WorkerResult } from '../worker.ts'
import { compare, plain } from '../lib/results.ts'
import { buildBundles, timeToReady } from '../lib/timeToReady.ts'
import { asBrand, brandSpec, consumerSpec, registerUsers, seedMixedLog } from '../lib/seed.ts'
import type { Suite } from '../lib/suite.ts'

interface Round {
  read: WorkerResult
  rebuild: WorkerResult
  ratio: number
}

const CONSUMERS = ['Eva', 'Filipe', 'Gil', 'Helena', 'Ines', 'Joao', 'Lara', 'Miguel']

export const catchUpSuite: Suite = {
  id: 'catchup',
  title: '4. Projection catch-up',
  async run(ctx) {
    const { options } = ctx
    const dir = await newDataDir('catchup', options.dataRoot, options.keep)
    try {
      const [brand, ...consumers] = await registerUsers(dir.path, [brandSpec('Atelier Oeste'), ...CONSUMERS.map(consumerSpec)])
      const start = Date.now()
      const seeded = await seedMixedLog(dir.path, asBrand(brand!), consumers.map(user => user.userId), options.catchupEvents)
      const seedSeconds = (Date.now() - start) / 1000
      ctx.log(`seeded ${seeded.events.toLocaleString('en-US')} events (${seeded.products.toLocaleString('en-US')} products) in ${seedSeconds.toFixed(1)} s`)

      const rounds: Round[] = []
      for (let i = 0; i < options.rounds; i++) {
        const read = await runWorker({ kind: 'readAll', dataDir: dir.path })
        const rebuild = await runWorker({ kind: 'rebuild', dataDir: dir.path })
        rounds.push({ read, rebuild, ratio: rebuild.eventsPerSecond / read.eventsPerSecond })
        ctx.log(`round ${i + 1}: rebuild ${rebuild.seconds.toFixed(1)} s, plain read ${read.seconds.toFixed(1)} s: ratio ${round(rounds.at(-1)!.ratio)}`)
      }
      const { read, rebuild } = medianRound(rounds, ({ ratio }) => ratio)

      // After the rebuilds, the read models hold the whole log: the reservation expiry starts from their checkpoint.
      await buildBundles()
      const empty = await newDataDir('empty', options.dataRoot, options.keep)
      const onEmpty = await timeToReady(empty.path).finally(() => empty.remove())
      const onLog = await timeToReady(dir.path)
      ctx.log(`/ready after ${onLog.seconds.toFixed(2)} s on the log (${onLog.cpuSeconds} s CPU), ${onEmpty.seconds.toFixed(2)} s on an empty folder (${onEmpty.cpuSeconds} s CPU)`)

      return {
        params: { events: rebuild.events, products: seeded.products, rounds: options.rounds },
        figures: [
          compare('rebuild of all read models', rebuild.eventsPerSecond, 'events/s', { name: 'plain sequential read of the log', value: read.eventsPerSecond }, { min: 0.3, text: 'ratio ≥ 0.3' }),
          plain('rebuild time', rebuild.seconds, 's'),
          compare('rebuild peak RSS', rebuild.maxRssMb, 'MB', { name: 'plain read peak RSS', value: read.maxRssMb }),
          compare('time to /ready, 1M-event log', onLog.seconds, 's', { name: 'time to /ready, empty log', value: onEmpty.seconds }),
        ],
        notes: [
          `Log: ${rebuild.events.toLocaleString('en-US')} events (accounts registered over HTTP, then ${seeded.products.toLocaleString('en-US')} products of 10 events each written straight to the log: creation and QR code, 4 changes of owner (one by a claim code issued before it), a consent change, a QR code regenerated), seeded in ${seedSeconds.toFixed(1)} s.`,
          `Rebuild: ProjectionRunner.rebuild() over every projection of projectors/index.ts on the embedded adapters (decrypting log, SQLite read models), in a fresh process; ${rebuild.seconds.toFixed(1)} s. Plain read: SqliteEventLog.readAll() of the same file, each event parsed, nothing else; ${read.seconds.toFixed(1)} s.`,
          `Rounds: the plain read then the rebuild, ${options.rounds} time(s) in a row, each in a fresh process; the figures are those of the round with the median ratio (ratios ${rounds.map(({ ratio }) => round(ratio)).join(', ')}).`,
          'Peak RSS is the whole worker process (Node, tsx and the SQLite page cache included).',
          `Time to /ready: \`npm run start:command-api\`'s command (node on the bundle in dist/, built first as its prestart script does) spawned on the data folder (embedded adapters, read models caught up by the rebuild), until GET /ready answers 200 (polled every 10 ms): ${onLog.seconds.toFixed(2)} s, ${onLog.cpuSeconds} s of CPU by then; the same on an empty folder first: ${onEmpty.seconds.toFixed(2)} s, ${onEmpty.cpuSeconds} s of CPU. Goal: within 2 s on the ${rebuild.events.toLocaleString('en-US')}-event log. The reservation expiry starts from the transactions read model and follows the log after its checkpoint; what is left is loading the app (one bundle; the production drivers, image and PDF libraries and the routes' validators load at first use), the same on any log.`,
        ],
        details: { rebuild, read, timeToReady: { onLog, onEmpty }, rounds: rounds.map(({ read, rebuild, ratio }) => ({ readSeconds: read.seconds, rebuildSeconds: rebuild.seconds, ratio: round(ratio) })), seedSeconds },
      }
    } finally {
      await dir.remove()
    }
  },
}
