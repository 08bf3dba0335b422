import t from 'tap'
import { fold } from '../decider.ts'
import { productDecider, type ProductEvent } from '../product/index.ts'
import { audienceOf } from './audience.ts'
import { SUBSCRIBABLE, subscribes, webhookEventOf } from './events.ts'
import { FIRST_DELAY_MS, MAX_DELAY_MS, nextAttemptAt, RETRY_WINDOW_MS } from './retry.ts'

t.test('product events carried by webhooks have a name; the others none', async t => {
  t.equal(webhookEventOf('OwnershipTransferred'), 'product.transferred')
  t.equal(webhookEventOf('LifecycleAccepted'), 'lifecycle.accepted')
  t.equal(webhookEventOf('StorySubmitted'), null)
  t.equal(webhookEventOf('UserRegistered'), null)
  t.ok(SUBSCRIBABLE.includes('lifecycle.*') && SUBSCRIBABLE.includes('product.sold'))
})

t.test('a webhook receives the names it lists and those its wildcards cover', async t => {
  t.ok(subscribes(['product.sold'], 'product.sold'))
  t.notOk(subscribes(['product.sold'], 'product.transferred'))
  t.ok(subscribes(['lifecycle.*'], 'lifecycle.recorded'))
  t.notOk(subscribes(['lifecycle.*'], 'product.alert'))
  t.ok(subscribes(['product.alert', 'product.*'], 'product.scan_anomaly'))
})

t.test("a product's audience: its brand, then each partner with a record on it, once", async t => {
  const at = '2026-01-01T00:00:00.000Z'
  const record = (lifecycleId: string, partnerId: string) =>
    ({
      type: 'LifecycleRecorded',
      data: { productId: 'p', lifecycleId, type: 'repair', description: 'zip', occurredAt: at, mediaIds: [], partnerId, partnerRole: 'repairer', ownerId: 'owner', recordedAt: at },
    }) as ProductEvent
  const created = { type: 'ProductCreated', data: { productId: 'p', brandId: 'brand', name: 'Jacket', createdAt: at } } as unknown as ProductEvent
  t.same(audienceOf(fold(productDecider, [created])), ['brand'])
  t.same(audienceOf(fold(productDecider, [created, record('p_1', 'repairer'), record('p_2', 'repairer'), record('p_3', 'recycler')])), ['brand', 'repairer', 'recycler'])
})

t.test('retries back off exponentially, jittered, capped, for at least a day', async t => {
  const firstDueAt = new Date('2026-01-01T00:00:00.000Z')
  const after = (attempts: number, failedAt: Date, random = 0) => nextAttemptAt({ attempts, firstDueAt, failedAt, random })?.getTime()
  t.equal(after(1, firstDueAt), firstDueAt.getTime() + FIRST_DELAY_MS, 'the first retry after FIRST_DELAY_MS')
  t.equal(after(3, firstDueAt), firstDueAt.getTime() + 4 * FIRST_DELAY_MS, 'doubling')
  t.equal(after(40, firstDueAt), firstDueAt.getTime() + MAX_DELAY_MS, 'capped')
  const jittered = after(3, firstDueAt, 0.999)!
  t.ok(jittered < firstDueAt.getTime() + 4 * FIRST_DELAY_MS && jittered >= firstDueAt.getTime() + 3.2 * FIRST_DELAY_MS, 'jitter takes off up to a fifth')
  const nearlyADay = new Date(firstDueAt.getTime() + RETRY_WINDOW_MS - 1)
  t.ok(after(20, nearlyADay), 'still retried just before a day has passed')
  t.equal(after(20, new Date(firstDueAt.getTime() + RETRY_WINDOW_MS)), undefined, 'given up once a day has passed')

  let failedAt = firstDueAt
  let attempts = 0
  for (let next: Date | null = firstDueAt; next; next = nextAttemptAt({ attempts, firstDueAt, failedAt, random: 0.999 })) {
    failedAt = next
    attempts += 1
  }
  t.ok(failedAt.getTime() - firstDueAt.getTime() >= RETRY_WINDOW_MS, `the last of ${attempts} attempts comes a day or more after the first`)
})
