import t from 'tap'
import { loadConfig } from '../../app/config.ts'
import { streams } from '../../domain/ids.ts'
import type { EventLog } from '../../eventlog/port.ts'
import { bearer } from '../../test/testing/harness.ts'
import { appendProductEvents, scenario } from '../testing/app.ts'
import { openSse, type SseClient } from '../testing/sse.ts'
import { MAX_REPLAY } from './productChannel.ts'

const limits = { ...loadConfig({ DATA_DIR: t.testdir() }).limits, liveStreamsPerAddress: 30, liveStreamsPerProcess: 40, liveIdleMs: 60_000 }
const s = await scenario({ config: { trustProxy: true, limits } })
const base = await s.app.listen({ port: 0, host: '127.0.0.1' })
t.teardown(() => s.close())
const { productId } = s

/** Counts what the live streams ask of the logs. */
const calls = { subscribe: 0, productReads: 0 }
const counting = <K extends keyof EventLog>(log: EventLog, method: K, count: () => void) => {
  const original = log[method].bind(log) as (...args: unknown[]) => unknown
  ;(log as unknown as Record<K, unknown>)[method] = (...args: unknown[]) => {
    count()
    return original(...args)
  }
}
counting(s.ctx.rawEventLog, 'subscribe', () => calls.subscribe++)
counting(s.ctx.eventLog, 'readStream', () => calls.productReads++)

const from = (address: string, extra: Record<string, string> = {}) => ({ 'x-forwarded-for': address, ...extra })
const productLive = (headers: Record<string, string>) => openSse(`${base}/api/products/${productId}/live`, headers)
/** Appends `count` consent changes in one append; the position of the last. */
const consent = async (visibility: 'public' | 'anonymous', count = 1) => {
  const metadata = () => ({ eventId: s.ctx.newId(), occurredAt: '2024-07-01T00:00:00.000Z', actorId: s.bob.userId, correlationId: 'test', causationId: 'test', schemaVersion: 1 })
  const events = Array.from({ length: count }, () => ({ type: 'ConsentChanged', data: { productId, ownerId: s.bob.userId, visibility }, metadata: metadata() }))
  return (await s.ctx.eventLog.append(streams.product(productId), events)).position
}
const closeAll = (clients: SseClient[]) => clients.forEach(client => client.close())

t.test('every stream of the process shares one log subscription, and each event is loaded once', async t => {
  const clients = await Promise.all(Array.from({ length: 20 }, (_, i) => productLive(from(`10.0.${i % 4}.1`))))
  const inboxes = await Promise.all(Array.from({ length: 5 }, (_, i) => openSse(`${base}/api/notifications/live`, from(`10.1.0.${i}`, bearer(s.alice.token)))))
  t.teardown(() => closeAll([...clients, ...inboxes]))
  t.same(clients.map(client => client.status), Array(20).fill(200))
  const readsBefore = calls.productReads
  const positions = [await consent('anonymous'), await consent('public')]
  for (const client of clients) t.same((await client.next(2)).map(message => message.id), positions.map(String))
  t.equal(calls.subscribe, 1, 'one subscription')
  t.equal(calls.productReads - readsBefore, 2, 'the product read once per event, not once per stream')
})

t.test('streams are capped per client address (429) and per process (503), with retry-after', async t => {
  const mine = await Promise.all(Array.from({ length: 30 }, () => productLive(from('10.2.0.1'))))
  t.teardown(() => closeAll(mine))
  const refused = await productLive(from('10.2.0.1'))
  refused.close()
  t.equal(refused.status, 429)
  t.ok(Number(refused.headers['retry-after']) > 0)
  const others = await Promise.all(Array.from({ length: 10 }, (_, i) => productLive(from(`10.3.0.${i}`))))
  t.teardown(() => closeAll(others))
  t.same(others.map(client => client.status), Array(10).fill(200), 'other addresses are let in')
  const full = await productLive(from('10.4.0.1'))
  full.close()
  t.equal(full.status, 503)
  t.ok(Number(full.headers['retry-after']) > 0)

  mine[0]!.close()
  await new Promise(resolve => setTimeout(resolve, 100))
  const again = await productLive(from('10.2.0.1'))
  again.close()
  t.equal(again.status, 200, 'a closed stream frees its place')
})

t.test(`a client that missed more than ${MAX_REPLAY} events is told to reload, then gets live events`, async t => {
  const missedFrom = await consent('anonymous')
  const last = await consent('public', MAX_REPLAY + 1)
  const client = await productLive(from('10.5.0.1', { 'last-event-id': String(missedFrom) }))
  t.teardown(client.close)
  const [reload] = await client.next(1)
  t.equal(reload!.id, String(last), 'resumes after the newest event')
  t.match(JSON.parse(reload!.data!), { reason: /more than 1000 events/ })
  const later = await consent('anonymous')
  t.same((await client.next(1)).map(message => message.id), [String(later)])

  const within = await productLive(from('10.5.0.2', { 'last-event-id': String(later - MAX_REPLAY) }))
  t.teardown(within.close)
  const replayed = await within.next(MAX_REPLAY)
  t.equal(replayed[0]!.id, String(later - MAX_REPLAY + 1), `${MAX_REPLAY} missed are replayed`)
  t.equal(replayed.at(-1)!.id, String(later))
})

t.test('a Last-Event-ID that is no event of the log is a 400', async t => {
  const pastTheEnd = (await s.ctx.rawEventLog.headPosition()) + 1_000
  const client = await productLive(from('10.5.0.3', { 'last-event-id': String(pastTheEnd) }))
  client.close()
  t.equal(client.status, 400)
})

t.test('a stream that stays idle is closed with a retry hint; the subscription ends with the last stream', async t => {
  const idle = await scenario({ config: { limits: { ...limits, liveIdleMs: 200 } } })
  t.teardown(() => idle.close())
  let subscriptions = 0
  counting(idle.ctx.rawEventLog, 'subscribe', () => subscriptions++)
  const url = `${await idle.app.listen({ port: 0, host: '127.0.0.1' })}/api/products/${idle.productId}/live`
  const client = await openSse(url)
  // The timer's first tick may come a moment before the stream has been idle for long enough: a heartbeat first.
  let [hint] = await client.next(1, { comments: true })
  while (hint?.comment === 'heartbeat') [hint] = await client.next(1, { comments: true })
  t.match(hint!.comment, /^idle/, 'told why')
  await t.rejects(client.next(1), /the stream ended/)
  const second = await openSse(url)
  t.teardown(second.close)
  t.equal(second.status, 200)
  await appendProductEvents(idle.ctx, idle.productId, [{ actorId: idle.bob.userId, at: '2024-07-01T00:00:00.000Z', event: { type: 'ConsentChanged', data: { productId: idle.productId, ownerId: idle.bob.userId, visibility: 'public' } } }])
  t.equal((await second.next(1)).length, 1, 'a new stream subscribes again')
  t.equal(subscriptions, 2)
})

t.test('closing the server ends the streams still open', async t => {
  const client = await productLive(from('10.6.0.1'))
  await s.app.close()
  await t.rejects(client.next(1), /the stream ended/)
})
