import t from 'tap'
import type { IntegrationBus, IntegrationMessage } from '../adapters/ports.ts'
import type { RecordedEvent } from '../eventlog/port.ts'
import { call, newListing, newProduct, testApp } from '../command-api/testing/specSupport.ts'
import { registerUser } from '../test/testing/harness.ts'
import { SqliteReadModelStore } from '../readmodels/sqlite.ts'
import { PUBLISHER, publicForm, publisherProjection, SECRET_FIELDS, toIntegrationMessage } from './publisher.ts'
import { ProjectionRunner } from './runner.ts'
import { logOf } from './testing/log.ts'
import { scenario } from './testing/scenario.ts'

const SECRETS = ['claimCodeHash', 'paymentReference', 'emailHash', 'passwordHash']

const recorded = (type: string, data: Record<string, unknown>): RecordedEvent => ({
  streamId: 'product-p1',
  revision: 3,
  position: 42,
  type,
  data,
  metadata: { eventId: 'e1', occurredAt: '2025-01-01T00:00:00.000Z', actorId: 'a', correlationId: 'c', causationId: 'c', schemaVersion: 1, prevHash: 'p', hash: 'h' },
})

t.test('one explicit list of fields that never leave', async t => {
  t.same([...SECRET_FIELDS].sort(), [...SECRETS].sort())
})

t.test('a message carries the stored event without its secret fields', async t => {
  const claim = recorded('ClaimCodeIssued', { productId: 'p1', claimCodeHash: 'claim-secret', issuedBy: 'alice', expiresAt: '2025-01-08T00:00:00.000Z' })
  const message = toIntegrationMessage(claim)
  t.match(message, { key: 'product-p1', eventId: 'e1', type: 'ClaimCodeIssued', position: 42 })
  t.same(JSON.parse(message.value), { ...claim, data: { productId: 'p1', issuedBy: 'alice', expiresAt: '2025-01-08T00:00:00.000Z' } })

  const sold = recorded('ProductSold', { productId: 'p1', paymentReference: 'psp-secret', price: { amount: 1, currency: 'EUR' } })
  t.same(JSON.parse(toIntegrationMessage(sold).value).data, { productId: 'p1', price: { amount: 1, currency: 'EUR' } })
})

t.test('personal data leaves sealed; opened by mistake, it does not leave at all', async t => {
  const envelope = { v: 1, subject: 'alice', ciphertext: 'sealed' }
  const stored = recorded('UserRegistered', { userId: 'alice', emailHash: 'h', roles: ['consumer'], personalData: envelope })
  t.same(publicForm(stored).data, { userId: 'alice', roles: ['consumer'], personalData: envelope })
  const opened = recorded('UserRegistered', { userId: 'alice', emailHash: 'h', email: 'a@example.com', displayName: 'Alice', passwordHash: 'scrypt$x', roles: ['consumer'] })
  t.same(publicForm(opened).data, { userId: 'alice', roles: ['consumer'] })
  const legacy = recorded('UserRegistered', { userId: 'alice', passwordHash: 'scrypt$x', personalData: envelope })
  t.same(publicForm(legacy).data, { userId: 'alice', personalData: envelope }, 'a hash stored in clear before it was sealed')
})

t.test('what the running publisher sends for a whole purchase and claim holds no secret', async t => {
  const { app, ctx } = await testApp(t)
  const messages: IntegrationMessage[] = []
  const stop = new AbortController()
  const observing = ctx.bus.consume('secrets-observer', async message => void messages.push(message), stop.signal)

  const [brand, buyer, claimer] = await Promise.all([registerUser(app, { accountType: 'brand' }), registerUser(app), registerUser(app)])
  const { productId } = await newProduct(app, brand)
  const listingId = await newListing(app, brand, productId)
  const { transactionId } = (await call(app, 'POST', '/resale/transactions', { as: buyer, payload: { listingId } })).json()
  t.equal((await call(app, 'POST', `/resale/transactions/${transactionId}/confirm`, { as: buyer, payload: { paymentReference: 'psp-4242' } })).statusCode, 200)
  const { claimCode } = (await call(app, 'POST', '/ownership/transfer', { as: buyer, payload: { productId } })).json()
  t.equal((await call(app, 'POST', '/ownership/claim', { as: claimer, payload: { claimCode } })).statusCode, 200)

  const head = await ctx.rawEventLog.headPosition()
  t.ok(await ctx.waitForPosition(head, 10_000), 'the projections caught up')
  while (!messages.some(message => message.position === head)) await new Promise(resolve => setTimeout(resolve, 20))
  stop.abort()
  await observing

  const types = new Set(messages.map(message => message.type))
  for (const type of ['UserRegistered', 'EmailClaimed', 'ClaimCodeIssued', 'ProductSold']) t.ok(types.has(type), `${type} was published`)
  const published = messages.map(message => message.value).join('\n')
  for (const field of SECRETS) t.notOk(published.includes(`"${field}"`), `no ${field}`)
  for (const value of ['scrypt', 'psp-4242', buyer.email, claimCode.split('_').at(-1)]) t.notOk(published.includes(value), `no "${value}"`)
})

t.test("the runner's batch leaves in one send, and the checkpoint moves only once the bus took it", async t => {
  const { events } = scenario()
  const log = await logOf(events)
  const head = await log.headPosition()
  const sends: IntegrationMessage[][] = []
  let down = true
  const bus: IntegrationBus = {
    publish: async messages => {
      if (down) {
        down = false
        throw new Error('the broker is down')
      }
      sends.push([...messages])
    },
    consume: async () => {},
    close: async () => {},
  }
  const store = new SqliteReadModelStore(':memory:')
  const errors: unknown[] = []
  const runner = new ProjectionRunner({ eventLog: log, store, projections: [publisherProjection(bus)], retryDelayMs: { first: 1, max: 5 }, onError: error => errors.push(error) })
  await runner.start()
  t.ok(await runner.waitForPosition(head, 5000))
  await runner.stop()
  t.match(String(errors), /the broker is down/)
  t.equal(sends.length, 1, 'the whole log in one send, after the failed one')
  t.strictSame(sends[0]!.map(message => message.position), events.map((_, index) => index + 1), 'from the first event again')
  t.equal(await store.getCheckpoint(PUBLISHER), head)
})

t.test('a send is not overtaken by the next, and after a failed one the events go again in the order of the log', async t => {
  const { events } = scenario()
  const log = await logOf(events)
  const head = await log.headPosition()
  const acknowledged: number[] = []
  let sends = 0
  const bus: IntegrationBus = {
    publish: async messages => {
      const send = ++sends
      // The first send is slow, the third fails: a send started early would land first, a message kept would go out of turn.
      await new Promise(resolve => setTimeout(resolve, send === 1 ? 20 : 1))
      if (send === 3) throw new Error('the broker is down')
      acknowledged.push(...messages.map(message => message.position))
    },
    consume: async () => {},
    close: async () => {},
  }
  const store = new SqliteReadModelStore(':memory:')
  const runner = new ProjectionRunner({ eventLog: log, store, projections: [publisherProjection(bus)], batchSize: 2, retryDelayMs: { first: 1, max: 5 }, onError: () => {} })
  await runner.start()
  t.ok(await runner.waitForPosition(head, 5000))
  await runner.stop()
  t.ok(sends > 3, 'sent again after the failure')
  const firstDeliveries = acknowledged.filter((position, index) => acknowledged.indexOf(position) === index)
  t.strictSame(firstDeliveries, events.map((_, index) => index + 1), 'each event first acknowledged in the order of the log')
})
