/**
 * A job that dies mid-batch (its event log stops answering for good, as when the process is killed) and a new
 * run resuming from the log: every item is issued exactly once, none is lost.
 */
import t from 'tap'
import { batchProductId, streams } from '../../domain/ids.ts'
import type { EventLog } from '../../eventlog/port.ts'
import { registerUser } from '../../test/testing/harness.ts'
import { testApp } from '../testing/specSupport.ts'
import { BatchJobs, loadBatch, submitBatch } from './jobs.ts'
import { finished } from './testing.ts'

const { app, ctx } = await testApp(t)
const brand = await registerUser(app, { accountType: 'brand', gs1CompanyPrefixes: ['4006381'] })
const silent = { error: () => undefined }

/** The log as a process sees it until it dies: after `appends` appends, nothing more is written. */
function dyingLog(log: EventLog, appends: number): EventLog {
  let left = appends
  return new Proxy(log, {
    get(target, property, receiver) {
      if (property !== 'append') return Reflect.get(target, property, receiver)
      return (...args: Parameters<EventLog['append']>) => (left-- > 0 ? target.append(...args) : Promise.reject(new Error('the process died')))
    },
  })
}

t.test('a batch interrupted mid-way and resumed issues each item exactly once', async t => {
  const total = 600
  const items = Array.from({ length: total }, (_, index) => ({ name: `Coat ${index}`, gtin: '4006381333931', serialNumber: `RESUME-${index}` }))
  const batchId = ctx.newId()
  const metadata = { actorId: brand.userId, roles: ['brand' as const], now: ctx.clock().toISOString(), correlationId: batchId, causationId: batchId }
  await submitBatch(ctx, { batchId, brandId: brand.userId, items, refused: [], metadata })

  // A chunk appends its 250 claims, then its 250 products, then its progress: the process dies in the second
  // chunk with every claim written and 30 of its products, none of them recorded.
  let died: () => void = () => undefined
  const death = new Promise<void>(resolve => (died = resolve))
  const dying = new BatchJobs({ ...ctx, eventLog: dyingLog(ctx.eventLog, 250 + 250 + 1 + 250 + 30) }, { error: () => died() }, 60_000)
  dying.run(batchId)
  await death
  await dying.stop()

  const interrupted = await loadBatch(ctx, batchId)
  t.equal(interrupted.status, 'running')
  t.equal(interrupted.issued.size, 250, 'the first chunk was recorded')
  const createdBeforeResume = await productsCreated(batchId, total)
  t.equal(createdBeforeResume, 280, `products issued but not recorded when it died (${createdBeforeResume})`)

  const resumed = new BatchJobs(ctx, silent)
  await resumed.resume()
  const batch = await finished(app, brand, batchId)
  await resumed.stop()

  t.match(batch, { status: 'completed', total, done: total, failed: [] })
  t.same(batch.products.map((product: { index: number }) => product.index), items.map((_, index) => index))
  t.equal(await productsCreated(batchId, total), total, 'each product created once')
  let stray = 0
  for await (const event of ctx.eventLog.readAll()) {
    if (event.type === 'ProductCreated' && event.metadata.correlationId === batchId && !event.streamId.startsWith(streams.product(`${batchId}-`))) stray++
  }
  t.equal(stray, 0, 'no product outside the batch’s own ids')
  for (const { index, productId, qrCode } of batch.products as { index: number; productId: string; qrCode: string }[]) {
    const events = await ctx.eventLog.readStream(streams.product(productId))
    if (events.filter(event => event.type === 'ProductCreated').length !== 1 || events[1]?.data.qrCode !== qrCode) {
      t.fail(`item ${index}: ${events.map(event => event.type).join(', ')}`)
    }
  }
})

/** How many of the batch's products exist, each counted by its ProductCreated events. */
async function productsCreated(batchId: string, total: number): Promise<number> {
  let created = 0
  for (let index = 0; index < total; index++) {
    const events = await ctx.eventLog.readStream(streams.product(batchProductId(batchId, index)))
    created += events.filter(event => event.type === 'ProductCreated').length
  }
  return created
}
