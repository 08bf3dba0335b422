import t from 'tap'
import { join } from 'node:path'
import { SqliteEventLog } from '../../eventlog/sqlite.ts'
import { streams } from '../../domain/ids.ts'
import type { AppContext } from '../../app/context.ts'
import { appendProductEvents, appendUserEvent, scenario } from '../testing/app.ts'
import { HistoryCache } from './historyCache.ts'

const s = await scenario()
t.teardown(() => s.close())

type Body = { revision: number; events: { type: string; source?: 'brand'; actor: { displayName: string | null } | null; data: Record<string, unknown> }[] }

/** Read twice: the second answer is the cached one. */
async function readTwice(position?: number): Promise<Body> {
  const headers = position === undefined ? {} : { 'x-min-position': String(position) }
  const read = () => s.app.inject({ method: 'GET', url: `/api/products/${s.productId}/history`, headers })
  await read()
  return (await read()).json()
}

t.test("a new event of the product's stream is in the next read that asks for its position", async t => {
  t.equal((await readTwice()).revision, 12)
  const position = await appendProductEvents(s.ctx, s.productId, [
    { actorId: s.bob.userId, at: '2024-07-01T00:00:00.000Z', event: { type: 'ConsentChanged', data: { productId: s.productId, ownerId: s.bob.userId, visibility: 'anonymous' } } },
  ])
  const body = await readTwice(position)
  t.equal(body.revision, 13)
  t.notOk(JSON.stringify(body).includes(s.bob.userId), 'Bob, anonymous now, is named nowhere')

  const shown = await appendProductEvents(s.ctx, s.productId, [
    { actorId: s.bob.userId, at: '2024-07-02T00:00:00.000Z', event: { type: 'ConsentChanged', data: { productId: s.productId, ownerId: s.bob.userId, visibility: 'public' } } },
  ])
  t.ok(JSON.stringify(await readTwice(shown)).includes(s.bob.userId), 'public again, Bob is named')
})

t.test("an event of the brand's stream (a verification revoked) is in the next read", async t => {
  const before = await readTwice()
  t.notOk(before.events.some(event => event.type === 'BrandVerificationRevoked'))
  const data = { userId: s.brand.userId, reason: 'counterfeits', revokedBy: 'admin', revokedAt: new Date().toISOString() }
  const position = await appendUserEvent(s.ctx, s.brand.userId, { type: 'BrandVerificationRevoked', data }, 'admin')
  const after = await readTwice(position)
  t.match(after.events.at(-1), { type: 'BrandVerificationRevoked', source: 'brand' })
})

t.test('an owner erased is shown as no one from the read that asks for the erasure on', async t => {
  const named = (body: Body) => body.events.some(event => event.actor?.displayName === 'Bob')
  t.ok(named(await readTwice()), 'Bob, public, is named')
  const position = await appendUserEvent(s.ctx, s.bob.userId, { type: 'UserErased', data: { userId: s.bob.userId, erasedBy: 'admin', erasedAt: new Date().toISOString() } }, 'admin')
  t.notOk(named(await readTwice(position)), 'erased, no more')
})

t.test('a history read while an event of its stream came in is not kept', async t => {
  let opened = (): void => {}
  let reached = (): void => {}
  const gate = new Promise<void>(resolve => (opened = resolve))
  const atGate = new Promise<void>(resolve => (reached = resolve))
  // The read of the history, its events read, waits at the stories' authors' keys until the gate opens.
  const find = async (subjectId: string) => {
    reached()
    await gate
    return s.ctx.keys.find(subjectId)
  }
  const cache = new HistoryCache({ ...s.ctx, keys: { ...s.ctx.keys, find } } as AppContext, 10)
  cache.reset(await s.ctx.rawEventLog.headPosition())

  const reading = cache.load(s.productId)
  await atGate
  const appended = await appendProductEvents(s.ctx, s.productId, [
    { actorId: s.bob.userId, at: '2024-08-01T00:00:00.000Z', event: { type: 'ConsentChanged', data: { productId: s.productId, ownerId: s.bob.userId, visibility: 'hidden' } } },
  ])
  const [event] = await s.ctx.rawEventLog.readStream(streams.product(s.productId), { direction: 'backwards', maxCount: 1 })
  t.equal(event!.position, appended)
  cache.observe(event!)
  opened()
  const stale = await reading
  t.equal(stale!.passport.revision, event!.revision - 1, 'read before the event')
  t.equal((await cache.load(s.productId))!.passport.revision, event!.revision, 'read again, not served from the cache')
})

t.test('a read asking for a position the cache has not seen is read from the log', async t => {
  const cache = new HistoryCache(s.ctx, 10)
  cache.reset(await s.ctx.rawEventLog.headPosition())
  const cached = (await cache.load(s.productId))!.passport.revision
  t.equal((await cache.load(s.productId))!.passport.revision, cached, 'kept')
  // No follower feeds this cache: it never sees the new event.
  const position = await appendProductEvents(s.ctx, s.productId, [
    { actorId: s.bob.userId, at: '2024-09-01T00:00:00.000Z', event: { type: 'ConsentChanged', data: { productId: s.productId, ownerId: s.bob.userId, visibility: 'public' } } },
  ])
  t.equal((await cache.load(s.productId, position))!.passport.revision, cached + 1)
})

t.test('a read without x-min-position has what another process appended before it', async t => {
  const before = await readTwice()
  // Another writer of the same log file: its append wakes no subscription of this process, whose followers see it
  // only at their next poll (a second away).
  const other = new SqliteEventLog(join(s.ctx.config.dataDir, 'events.sqlite'))
  t.teardown(() => other.close())
  const metadata = { eventId: s.ctx.newId(), occurredAt: '2024-10-01T00:00:00.000Z', actorId: s.bob.userId, correlationId: 'test', causationId: 'test', schemaVersion: 1 }
  const data = { productId: s.productId, ownerId: s.bob.userId, visibility: before.events.some(event => event.actor?.displayName === 'Bob') ? 'anonymous' : 'public' }
  await other.append(streams.product(s.productId), [{ type: 'ConsentChanged', data, metadata }])
  const response = await s.app.inject({ method: 'GET', url: `/api/products/${s.productId}/history` })
  t.equal(response.json().revision, before.revision + 1)
})
