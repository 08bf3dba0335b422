/**
 * Suite 7, bulk issuing: one POST /api/products/batches of `batchItems` products, timed from the request until
 * GET /api/products/batches/{batchId} reads `completed`, against the same kind of items sent one
 * POST /api/products at a time, on the same server in the same run (goal: ratio ≥ 5).
 */
import { newDataDir } from '../lib/config.ts'
import { expectOk, json } from '../lib/http.ts'
import { startServer } from '../lib/processes.ts'
import { compare, plain } from '../lib/results.ts'
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
  title: '7. Bulk issuing',
  async run(ctx) {
    const { options } = ctx
    const dir = await newDataDir('batches', options.dataRoot, options.keep)
    try {
      const [brand] = await registerUsers(dir.path, [{ ...brandSpec('Atelier Lote'), gs1CompanyPrefixes: [PREFIX] }])
      const server = await startServer({ mode: 'app', dataDir: dir.path, logLevel: options.logLevel })
      const headers = json(brand!.token)
      try {
        // Baseline: one POST /api/products after the other, for `duration` seconds.
        let single = 0
        const singleStart = Date.now()
        while (Date.now() - singleStart < options.duration * 1000) {
          await expectOk(`${server.url}/api/products`, { method: 'POST', headers, body: JSON.stringify(item(`ONE-${single}`)) })
          single++
        }
        const singlePerSecond = single / ((Date.now() - singleStart) / 1000)
        ctx.log(`${single} single POSTs, ${Math.round(singlePerSecond)}/s`)

        const items = Array.from({ length: options.batchItems }, (_, index) => item(`BATCH-${index}`))
        const batchStart = Date.now()
        const submitted = await expectOk(`${server.url}/api/products/batches`, { method: 'POST', headers, body: JSON.stringify({ items }) })
        const { batchId } = JSON.parse(submitted.body) as { batchId: string }
        let batch: { status: string; done: number; failed: unknown[] }
        for (;;) {
          batch = JSON.parse((await expectOk(`${server.url}/api/products/batches/${batchId}`, { headers })).body)
          if (batch.status !== 'running') break
          await new Promise(resolve => setTimeout(resolve, 50))
        }
        const batchSeconds = (Date.now() - batchStart) / 1000
        if (batch.status !== 'completed' || batch.failed.length > 0) throw new Error(`the batch ended ${batch.status} with ${batch.failed.length} items refused`)
        const batchPerSecond = options.batchItems / batchSeconds
        const figure = `items/s, ${options.batchItems.toLocaleString('en-US')}-item batch`
        const stopped = await server.stop()
        return {
          params: { batchItems: options.batchItems, seconds: options.duration },
          figures: [
            compare(figure, batchPerSecond, 'items/s', { name: 'items/s, one POST at a time', value: singlePerSecond }, { min: 5, text: 'ratio ≥ 5' }),
            plain('batch wall time', batchSeconds, 's'),
            plain('server peak RSS', stopped.maxRssMb, 'MB'),
          ],
          notes: [
            `Baseline: ${single.toLocaleString('en-US')} POST /api/products, each waiting for the one before, for ${options.duration} s; each item has a GTIN of the brand's prefix and a serial of its own, so each writes the (GTIN, serial) claim and the product, two commits.`,
            `Batch: ${options.batchItems.toLocaleString('en-US')} items alike in one POST /api/products/batches, timed from the request to the first GET /api/products/batches/{batchId} reading completed (polled every 50 ms). The job issues 250 items at once through the same decision path, so their claims and products share the event log's group commits. Both run on the same server, with its projections.`,
          ],
          details: { single, singlePerSecond, batchSeconds, batchPerSecond },
        }
      } finally {
        await server.stop().catch(() => undefined)
      }
    } finally {
      await dir.remove()
    }
  },
}
