/**
 * Suite 8, bulk issuing: one POST /api/products/batches of `batchItems` products, timed from the request until
 * GET /api/products/batches/{batchId} reads `completed`, against the same kind of items sent one
 * POST /api/products at a time, on the same server in the same run (goal: ratio ≥ 5), --rounds times, the median round kept.
 */
import { newDataDir } from '../lib/config.ts'
import { expectOk, json } from '../lib/http.ts'
import { startServer } from '../lib/processes.ts'
import { compare, plain } from '../lib/results.ts'
import { medianRound, round } from '../lib/stats.ts'
import { brandSpec, registerUsers } from '../lib/seed.ts'
import type { Suite } from '../lib/suite.ts'

const PREFIX = '4006381'
/** Items as a brand sends them: a GTIN of its prefix and a serial of its own (claimed for uniqueness), and details. */
const item = (serialNumber: string) => ({
  name: 'Waxed cotton field jacket',
  gtin: '4006381333931',
  serialNumber,
  materials: [{ fibre: 'cotton', percent: 100 }],
  madeIn: 'PT',
  originalPrice: { amount: 24_000, currency: 'EUR' },
})

export const batchSuite: Suite = {
  id: 'batches',
  title: '8. Bulk issuing',
  async run(ctx) {
    const { options } = ctx
    const dir = await newDataDir('batches', options.dataRoot, options.keep)
    try {
      const [brand] = await registerUsers(dir.path, [{ ...brandSpec('Atelier Lote'), gs1CompanyPrefixes: [PREFIX] }])
      const server = await startServer({ mode: 'app', dataDir: dir.path, logLevel: options.logLevel })
      const headers = json(brand!.token)
      try {
        // Each round: one POST /api/products after the other for `duration` seconds, then one batch; the median kept.
        const singles = async (round: number) => {
          let count = 0
          const start = Date.now()
          while (Date.now() - start < options.duration * 1000) {
            await expectOk(`${server.url}/api/products`, { method: 'POST', headers, body: JSON.stringify(item(`ONE-${round}-${count}`)) })
            count++
          }
          return { single: count, singlePerSecond: count / ((Date.now() - start) / 1000) }
        }
        const batched = async (round: number) => {
          const items = Array.from({ length: options.batchItems }, (_, index) => item(`B${round}-${index}`))
          const start = Date.now()
          const submitted = await expectOk(`${server.url}/api/products/batches`, { method: 'POST', headers, body: JSON.stringify({ items }) })
          const { batchId } = JSON.parse(submitted.body) as { batchId: string }
          let batch: { status: string; done: number; failed: unknown[] }
          for (;;) {
            batch = JSON.parse((await expectOk(`${server.url}/api/products/batches/${batchId}`, { headers })).body)
            if (batch.status !== 'running') break
            await new Promise(resolve => setTimeout(resolve, 50))
          }
          if (batch.status !== 'completed' || batch.failed.length > 0) throw new Error(`the batch ended ${batch.status} with ${batch.failed.length} items refused`)
          const batchSeconds = (Date.now() - start) / 1000
          return { batchSeconds, batchPerSecond: options.batchItems / batchSeconds }
        }
        const rounds = []
        for (let i = 0; i < options.rounds; i++) {
          const one = { ...(await singles(i)), ...(await batched(i)) }
          rounds.push({ ...one, ratio: one.batchPerSecond / one.singlePerSecond })
          ctx.log(`round ${i + 1}: ${Math.round(one.batchPerSecond)} vs ${Math.round(one.singlePerSecond)} items/s: ratio ${round(rounds.at(-1)!.ratio)}`)
        }
        const { single, singlePerSecond, batchSeconds, batchPerSecond } = medianRound(rounds, ({ ratio }) => ratio)
        const figure = `items/s, ${options.batchItems.toLocaleString('en-US')}-item batch`
        const stopped = await server.stop()
        return {
          params: { batchItems: options.batchItems, seconds: options.duration, rounds: options.rounds },
          figures: [
            compare(figure, batchPerSecond, 'items/s', { name: 'items/s, one POST at a time', value: singlePerSecond }, { min: 5, text: 'ratio ≥ 5' }),
            plain('batch wall time', batchSeconds, 's'),
            plain('server peak RSS', stopped.maxRssMb, 'MB'),
          ],
          notes: [
            `Baseline: ${single.toLocaleString('en-US')} POST /api/products, each waiting for the one before, for ${options.duration} s; each item has a GTIN of the brand's prefix and a serial of its own, so each writes the (GTIN, serial) claim and the product, two commits.`,
            `Batch: ${options.batchItems.toLocaleString('en-US')} items alike in one POST /api/products/batches, timed from the request to the first GET /api/products/batches/{batchId} reading completed (polled every 50 ms). The job issues 250 items at once through the same decision path, so their claims and products share the event log's group commits. Both run on the same server, with its projections.`,
            `Rounds: the single POSTs then the batch, ${options.rounds} time(s) in a row on the same server; the figures are those of the round with the median ratio (ratios ${rounds.map(({ ratio }) => round(ratio)).join(', ')}).`,
          ],
          details: { single, singlePerSecond, batchSeconds, batchPerSecond, rounds: rounds.map(({ ratio }) => round(ratio)) },
        }
      } finally {
        await server.stop().catch(() => undefined)
      }
    } finally {
      await dir.remove()
    }
  },
}
