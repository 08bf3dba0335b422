import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import type { Delivery, Webhook, WebhookStore } from '../ports.ts'

/** What every store of webhooks and deliveries must do. Each `open` opens the same stored data: it must survive a reopen. */
export const webhookStoreContract = (t: Test, open: () => Promise<WebhookStore>): void => {
  const unique = (prefix: string) => `${prefix}-${randomUUID()}`
  const newWebhook = (ownerId: string, createdAt = '2026-01-01T00:00:00.000Z'): Webhook => ({
    webhookId: unique('webhook'),
    ownerId,
    url: 'https://hooks.example.com/ptvem',
    events: ['product.sold', 'lifecycle.*'],
    secret: 'whsec_c2VjcmV0',
    createdAt,
    after: 7,
  })
  const newDelivery = (webhookId: string, position: number, due = '2026-01-01T00:00:00.000Z'): Delivery => ({
    deliveryId: unique('msg'),
    webhookId,
    eventType: 'product.sold',
    position,
    payload: JSON.stringify({ type: 'product.sold', position }),
    status: 'retrying',
    attempts: 0,
    lastStatusCode: null,
    nextAttemptAt: due,
    createdAt: due,
  })
  let store: WebhookStore
  t.before(async () => {
    store = await open()
  })
  t.teardown(() => store.close())

  t.test('a webhook is found by its id, listed with its owner’s, and among any owners’', async t => {
    const [owner, other] = [unique('owner'), unique('owner')]
    const [first, second, theirs] = [newWebhook(owner), newWebhook(owner, '2026-01-02T00:00:00.000Z'), newWebhook(other)]
    for (const webhook of [second, first, theirs]) await store.addWebhook(webhook)
    t.same(await store.webhookById(first.webhookId), first)
    t.same(await store.webhooksOf(owner), [first, second], 'oldest first, no one else’s')
    t.same(new Set((await store.webhooksOfAny([owner, other, unique('nobody')])).map(each => each.webhookId)), new Set([first, second, theirs].map(each => each.webhookId)))
    t.same(await store.webhooksOfAny([]), [])
  })

  t.test('a deleted webhook is found no more, and deleted once', async t => {
    const owner = unique('owner')
    const webhook = newWebhook(owner)
    await store.addWebhook(webhook)
    t.equal(await store.deleteWebhook(webhook.webhookId, '2026-02-01T00:00:00.000Z'), true)
    t.equal(await store.deleteWebhook(webhook.webhookId, '2026-02-02T00:00:00.000Z'), false)
    t.equal(await store.webhookById(webhook.webhookId), null)
    t.same(await store.webhooksOf(owner), [])
    t.same(await store.webhooksOfAny([owner]), [])
  })

  t.test('a delivery enqueued twice keeps the state it reached', async t => {
    const webhookId = unique('webhook')
    const delivery = newDelivery(webhookId, 1)
    await store.enqueue([delivery])
    await store.recordOutcome(delivery.deliveryId, { status: 'delivered', attempts: 1, lastStatusCode: 204, nextAttemptAt: null })
    await store.enqueue([delivery, newDelivery(webhookId, 2)])
    const { items } = await store.deliveriesOf(webhookId, { limit: 10 })
    t.same(
      items.map(({ position, status, attempts, lastStatusCode }) => ({ position, status, attempts, lastStatusCode })),
      [
        { position: 2, status: 'retrying', attempts: 0, lastStatusCode: null },
        { position: 1, status: 'delivered', attempts: 1, lastStatusCode: 204 },
      ],
      'newest event first',
    )
  })

  t.test('deliveries come in pages', async t => {
    const webhookId = unique('webhook')
    await store.enqueue([1, 2, 3, 4, 5].map(position => newDelivery(webhookId, position)))
    const first = await store.deliveriesOf(webhookId, { limit: 2 })
    t.same(first.items.map(each => each.position), [5, 4])
    const second = await store.deliveriesOf(webhookId, { limit: 2, cursor: first.nextCursor! })
    t.same(second.items.map(each => each.position), [3, 2])
    const last = await store.deliveriesOf(webhookId, { limit: 2, cursor: second.nextCursor! })
    t.same(last.items.map(each => each.position), [1])
    t.equal(last.nextCursor, null)
  })

  t.test('due deliveries are claimed once, until their lease ends', async t => {
    const webhookId = unique('webhook')
    // Far in the future, so that no other test's deliveries are due before these.
    const [due, later, settled] = [newDelivery(webhookId, 1, '2090-01-01T00:00:00.000Z'), newDelivery(webhookId, 2, '2090-01-01T00:10:00.000Z'), newDelivery(webhookId, 3, '2090-01-01T00:00:00.000Z')]
    await store.enqueue([due, later, settled])
    await store.recordOutcome(settled.deliveryId, { status: 'failed', attempts: 18, lastStatusCode: 500, nextAttemptAt: null })
    const leaseUntil = '2090-01-01T00:05:30.000Z'
    const claimed = await store.claimDue('2090-01-01T00:05:00.000Z', leaseUntil, 100)
    t.same(claimed.filter(each => each.webhookId === webhookId).map(each => each.deliveryId), [due.deliveryId], 'only what is due and not settled')
    t.same((await store.claimDue('2090-01-01T00:05:10.000Z', '2090-01-01T00:06:00.000Z', 100)).filter(each => each.webhookId === webhookId), [], 'not while leased')
    const again = await store.claimDue('2090-01-01T00:20:00.000Z', '2090-01-01T00:21:00.000Z', 100)
    t.same(again.filter(each => each.webhookId === webhookId).map(each => each.position), [1, 2], 'a lease that ran out leaves it due again')
  })

  t.test('what is stored survives a reopen', async t => {
    const webhook = newWebhook(unique('owner'))
    await store.addWebhook(webhook)
    const delivery = newDelivery(webhook.webhookId, 9)
    await store.enqueue([delivery])
    await store.recordOutcome(delivery.deliveryId, { status: 'retrying', attempts: 2, lastStatusCode: 503, nextAttemptAt: '2026-01-01T00:01:00.000Z' })
    await store.close()
    store = await open()
    t.same(await store.webhookById(webhook.webhookId), webhook)
    t.same((await store.deliveriesOf(webhook.webhookId, { limit: 5 })).items, [
      { ...delivery, status: 'retrying', attempts: 2, lastStatusCode: 503, nextAttemptAt: '2026-01-01T00:01:00.000Z' },
    ])
  })
}
