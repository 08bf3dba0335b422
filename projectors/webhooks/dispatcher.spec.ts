import t, { type Test } from 'tap'
import { SqliteWebhookStore } from '../../adapters/embedded/sqliteWebhookStore.ts'
import type { Delivery, Webhook } from '../../adapters/ports.ts'
import { RETRY_WINDOW_MS } from '../../domain/webhook/retry.ts'
import { startReceiver, verified } from '../../test/testing/webhookReceiver.ts'
import { WebhookDispatcher, type WebhookSettings } from './dispatcher.ts'

const SECRET = `whsec_${Buffer.from('a secret of thirty-two bytes ....').toString('base64')}`
const START = new Date()
const LOCAL: WebhookSettings = { allowPrivate: true, timeoutMs: 2_000, concurrency: 4 }

/** A store on a file of its own, a dispatcher on a clock the test moves, and a webhook to `url`. */
async function setUp(t: Test, url: string, settings = LOCAL) {
  const path = `${t.testdir()}/webhooks.sqlite`
  let now = START
  const clock = () => now
  const errors: unknown[] = []
  const open = () => {
    const webhooks = new SqliteWebhookStore(path)
    return { webhooks, dispatcher: new WebhookDispatcher({ webhooks, settings, clock, random: () => 0, onError: error => errors.push(error) }) }
  }
  let opened = open()
  t.teardown(() => opened.webhooks.close())
  const webhook: Webhook = { webhookId: 'wh-1', ownerId: 'brand', url, events: ['product.*'], secret: SECRET, createdAt: START.toISOString(), after: 0 }
  await opened.webhooks.addWebhook(webhook)
  const delivery: Delivery = {
    deliveryId: 'msg_1',
    webhookId: webhook.webhookId,
    eventType: 'product.sold',
    position: 42,
    payload: JSON.stringify({ type: 'product.sold', timestamp: START.toISOString(), data: { productId: 'p-1' } }),
    status: 'retrying',
    attempts: 0,
    lastStatusCode: null,
    nextAttemptAt: START.toISOString(),
    createdAt: START.toISOString(),
  }
  await opened.webhooks.enqueue([delivery])
  return {
    errors,
    get webhooks() {
      return opened.webhooks
    },
    dispatch: () => opened.dispatcher.dispatchDue(),
    /** Moves the clock to the delivery's next attempt. */
    async untilNextAttempt() {
      const [state] = (await opened.webhooks.deliveriesOf(webhook.webhookId, { limit: 1 })).items
      now = new Date(state!.nextAttemptAt!)
    },
    advance(ms: number) {
      now = new Date(now.getTime() + ms)
    },
    async state() {
      return (await opened.webhooks.deliveriesOf(webhook.webhookId, { limit: 1 })).items[0]!
    },
    /** As a process ending and another starting on the same file. */
    async restart() {
      await opened.webhooks.close()
      opened = open()
    },
  }
}

t.test('a delivery is a signed POST the Standard Webhooks library verifies', async t => {
  const receiver = await startReceiver(t)
  const { dispatch, state, errors } = await setUp(t, receiver.url)
  t.equal(await dispatch(), 1)
  const [request] = receiver.received
  t.same(verified(SECRET, request!), { type: 'product.sold', timestamp: START.toISOString(), data: { productId: 'p-1' } })
  t.equal(request!.headers['webhook-id'], 'msg_1')
  t.match(request!.headers['webhook-signature'], /^v1,[A-Za-z0-9+/=]+$/)
  t.equal(request!.headers['content-type'], 'application/json')
  t.throws(() => verified(`whsec_${Buffer.from('another secret').toString('base64')}`, request!), 'another secret does not verify it')
  t.match(await state(), { status: 'delivered', attempts: 1, lastStatusCode: 204, nextAttemptAt: null })
  t.equal(await dispatch(), 0, 'nothing is sent again')
  t.same(errors, [])
})

t.test('a receiver failing twice gets the same webhook-id a third time, which it takes', async t => {
  const receiver = await startReceiver(t)
  receiver.answer(500, 503, 200)
  const { dispatch, state, untilNextAttempt } = await setUp(t, receiver.url)
  await dispatch()
  t.match(await state(), { status: 'retrying', attempts: 1, lastStatusCode: 500 })
  t.equal(await dispatch(), 0, 'not again before its time')
  await untilNextAttempt()
  await dispatch()
  t.match(await state(), { status: 'retrying', attempts: 2, lastStatusCode: 503 })
  await untilNextAttempt()
  await dispatch()
  t.match(await state(), { status: 'delivered', attempts: 3, lastStatusCode: 200, nextAttemptAt: null })
  t.same(
    receiver.received.map(request => request.headers['webhook-id']),
    ['msg_1', 'msg_1', 'msg_1'],
  )
  for (const request of receiver.received) verified(SECRET, request)
})

t.test('a restart mid-retry loses nothing, and resends nothing once delivered', async t => {
  const receiver = await startReceiver(t)
  receiver.answer(500, 204)
  const setup = await setUp(t, receiver.url)
  await setup.dispatch()
  await setup.restart()
  t.match(await setup.state(), { status: 'retrying', attempts: 1, lastStatusCode: 500 }, 'the schedule survived')
  await setup.untilNextAttempt()
  await setup.dispatch()
  t.match(await setup.state(), { status: 'delivered', attempts: 2 })
  await setup.restart()
  setup.advance(RETRY_WINDOW_MS * 2)
  t.equal(await setup.dispatch(), 0)
  t.equal(receiver.received.length, 2)
})

t.test('a dispatcher that died mid-attempt leaves the delivery due again once its lease ends', async t => {
  const receiver = await startReceiver(t)
  const setup = await setUp(t, receiver.url)
  await setup.webhooks.claimDue(START.toISOString(), new Date(START.getTime() + 60_000).toISOString(), 10)
  await setup.restart()
  t.equal(await setup.dispatch(), 0, 'leased')
  setup.advance(60_000)
  t.equal(await setup.dispatch(), 1)
  t.match(await setup.state(), { status: 'delivered', attempts: 1 })
})

t.test('no answer within the timeout is a failed attempt', async t => {
  const receiver = await startReceiver(t)
  receiver.hang = true
  const { dispatch, state } = await setUp(t, receiver.url, { ...LOCAL, timeoutMs: 200 })
  await dispatch()
  t.match(await state(), { status: 'retrying', attempts: 1, lastStatusCode: null })
})

t.test('a redirect is not followed: it is a failed attempt', async t => {
  const receiver = await startReceiver(t)
  receiver.answer(302)
  const { dispatch, state } = await setUp(t, receiver.url)
  await dispatch()
  t.match(await state(), { status: 'retrying', attempts: 1, lastStatusCode: 302 })
  t.equal(receiver.received.length, 1)
})

t.test('without WEBHOOKS_ALLOW_PRIVATE, nothing reaches an inner address, by literal or by name', async t => {
  const receiver = await startReceiver(t)
  for (const url of [receiver.url, receiver.url.replace('127.0.0.1', 'localhost')]) {
    await t.test(url, async t => {
      const { dispatch, state } = await setUp(t, url, { ...LOCAL, allowPrivate: false })
      await dispatch()
      t.match(await state(), { status: 'retrying', attempts: 1, lastStatusCode: null })
    })
  }
  t.equal(receiver.received.length, 0)
})

t.test('a delivery still failing a day after it was due is failed, and tried no more', async t => {
  const receiver = await startReceiver(t)
  receiver.answer(500)
  const { dispatch, state, advance } = await setUp(t, receiver.url)
  await dispatch()
  advance(RETRY_WINDOW_MS)
  await dispatch()
  t.match(await state(), { status: 'failed', attempts: 2, lastStatusCode: 500, nextAttemptAt: null })
  advance(RETRY_WINDOW_MS)
  t.equal(await dispatch(), 0)
})

t.test('a deleted webhook gets nothing more', async t => {
  const receiver = await startReceiver(t)
  const { dispatch, state, webhooks } = await setUp(t, receiver.url)
  await webhooks.deleteWebhook('wh-1', START.toISOString())
  await dispatch()
  t.match(await state(), { status: 'failed', attempts: 0 })
  t.equal(receiver.received.length, 0)
})
