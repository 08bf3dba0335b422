import t from 'tap'
import { bearer } from '../../test/testing/harness.ts'
import { appendProductEvents, scenario } from '../testing/app.ts'
import { openSse } from '../testing/sse.ts'

const s = await scenario()
const base = await s.app.listen({ port: 0, host: '127.0.0.1' })
t.teardown(() => s.close())
const productLive = (headers: Record<string, string> = {}) => openSse(`${base}/api/products/${s.productId}/live`, headers)
const append = (entry: Parameters<typeof appendProductEvents>[2][number]) => appendProductEvents(s.ctx, s.productId, [entry])
const { productId } = s

t.test("a product's new events, in public form, with their positions as ids; reconnecting resumes", async t => {
  const first = await productLive()
  t.equal(first.status, 200)
  t.match(first.headers['content-type'], /^text\/event-stream/)
  const consent = await append({ actorId: s.bob.userId, at: '2024-07-01T00:00:00.000Z', event: { type: 'ConsentChanged', data: { productId, ownerId: s.bob.userId, visibility: 'anonymous' } } })
  const story = await append({
    actorId: s.bob.userId,
    at: '2024-07-02T00:00:00.000Z',
    event: {
      type: 'StorySubmitted',
      data: { productId, storyId: `${productId}_s3`, authorId: s.bob.userId, title: 'Mine now', body: 'Fits well', occurredAt: '2024-07-02T00:00:00.000Z', mediaIds: [], status: 'published', submittedAt: '2024-07-02T00:00:00.000Z' },
    },
  })
  const messages = await first.next(2)
  first.close()
  t.same(messages.map(message => message.id), [String(consent), String(story)])
  const [changed, told] = messages.map(message => JSON.parse(message.data!))
  t.same(changed, { position: String(consent), revision: 13, type: 'ConsentChanged', occurredAt: '2024-07-01T00:00:00.000Z', actor: null, data: { productId, ownerId: null, visibility: 'anonymous' } })
  t.match(told, { type: 'StorySubmitted', revision: 14, actor: null, data: { title: 'Mine now', authorId: null } })

  const history = (await s.app.inject({ method: 'GET', url: `/api/products/${productId}/history` })).json()
  t.same(history.events.slice(-2), [changed, told], 'the same public form as /history')

  const again = await productLive({ 'last-event-id': String(consent) })
  t.teardown(again.close)
  t.same((await again.next(1)).map(message => message.id), [String(story)], 'what was missed')
  const later = await append({ actorId: s.bob.userId, at: '2024-07-03T00:00:00.000Z', event: { type: 'ConsentChanged', data: { productId, ownerId: s.bob.userId, visibility: 'public' } } })
  t.same((await again.next(1)).map(message => message.id), [String(later)], 'then live, nothing twice')
})

t.test('an unknown product is a 404; a malformed Last-Event-ID a 400', async t => {
  const unknown = await openSse(`${base}/api/products/unknown/live`)
  unknown.close()
  t.equal(unknown.status, 404)
  const malformed = await productLive({ 'last-event-id': 'yesterday' })
  malformed.close()
  t.equal(malformed.status, 400)
})

t.test("the caller's new notifications, live", async t => {
  t.equal((await s.app.inject({ method: 'GET', url: '/api/notifications/live' })).statusCode, 401)
  const alice = await openSse(`${base}/api/notifications/live`, bearer(s.alice.token))
  t.teardown(alice.close)
  t.equal(alice.status, 200)
  const transfer = (fromUserId: string, toUserId: string, at: string) =>
    append({ actorId: fromUserId, at, event: { type: 'OwnershipTransferred', data: { productId, fromUserId, toUserId, via: 'transfer', at } } })
  const toAlice = await transfer(s.bob.userId, s.alice.userId, '2024-08-01T00:00:00.000Z')
  await transfer(s.alice.userId, s.bob.userId, '2024-08-02T00:00:00.000Z')
  const backToAlice = await transfer(s.bob.userId, s.alice.userId, '2024-08-03T00:00:00.000Z')
  const messages = await alice.next(2)
  t.same(messages.map(message => message.id), [String(toAlice), String(backToAlice)])
  t.match(JSON.parse(messages[0]!.data!), { type: 'product_received', productId, read: false, createdAt: '2024-08-01T00:00:00.000Z' })

  const again = await openSse(`${base}/api/notifications/live`, { ...bearer(s.alice.token), 'last-event-id': String(toAlice) })
  t.teardown(again.close)
  t.same((await again.next(1)).map(message => message.id), [String(backToAlice)], 'reconnecting, what was missed')
})

t.test('a lifecycle record waiting for the owner or refused is never streamed', async t => {
  const live = await productLive()
  t.teardown(live.close)
  const lifecycleId = `${productId}_lc1`
  const record = { productId, lifecycleId, type: 'repair' as const, description: 'Patched elbow', occurredAt: '2024-07-04T00:00:00.000Z', mediaIds: [], partnerId: 'repairer-1', partnerRole: 'repairer' as const, ownerId: s.bob.userId, recordedAt: '2024-07-04T00:00:00.000Z' }
  await append({ actorId: 'repairer-1', at: '2024-07-04T00:00:00.000Z', event: { type: 'LifecycleRecorded', data: record } })
  await append({ actorId: s.bob.userId, at: '2024-07-05T00:00:00.000Z', event: { type: 'LifecycleRefused', data: { productId, lifecycleId, ownerId: s.bob.userId, refusedAt: '2024-07-05T00:00:00.000Z' } } })
  const consent = await append({ actorId: s.bob.userId, at: '2024-07-06T00:00:00.000Z', event: { type: 'ConsentChanged', data: { productId, ownerId: s.bob.userId, visibility: 'public' } } })
  t.same((await live.next(1)).map(message => message.id), [String(consent)])
})
