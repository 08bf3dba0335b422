import t from 'tap'
import { streams } from '../domain/ids.ts'
import type { ReadModelStore } from '../readmodels/port.ts'
import { SqliteReadModelStore } from '../readmodels/sqlite.ts'
import {
  collections,
  notificationPageId,
  NOTIFICATIONS_PER_PAGE,
  type InboxDoc,
  type Notification,
  type NotificationPageDoc,
} from '../readmodels/documents.ts'
import type { ProjectedEvent, Recorded } from './projection.ts'
import { History } from './testing/history.ts'
import { ids, scenario, until } from './testing/scenario.ts'
import { dump, projectAll, projected } from './testing/store.ts'

const { events, e } = scenario()

const notification = (type: Notification['type'], event: Recorded<ProjectedEvent>, productId: string = ids.p1): Notification => ({
  type,
  productId,
  eventId: event.metadata.eventId,
  createdAt: event.metadata.occurredAt,
  position: event.position,
})

const inbox = (store: ReadModelStore, userId: string) => store.get<InboxDoc>(collections.inboxes, userId)
const page = (store: ReadModelStore, userId: string, n: number) => store.get<NotificationPageDoc>(collections.notifications, notificationPageId(userId, n))

/** `count` transfers of one product to `userId` (the products projection skips them: the product was never created). */
function gifts(count: number, userId = 'carol') {
  const h = new History()
  const productId = 'p-gift'
  const gifts = Array.from({ length: count }, () =>
    h.add(streams.product(productId), 'OwnershipTransferred', now => ({ productId, fromUserId: 'brand', toUserId: userId, via: 'transfer', at: now })),
  )
  return { events: h.events, gifts, productId }
}

const notificationsOf = async (store: ReadModelStore) => {
  const all = await dump(store)
  return { pages: all[collections.notifications], inboxes: all[collections.inboxes] }
}

t.test('owners, sellers and authors are told what happened, in log order', async t => {
  const store = await projected(events)
  t.strictSame(await page(store, ids.alice, 0), {
    id: notificationPageId(ids.alice, 0),
    userId: ids.alice,
    page: 0,
    notifications: [
      notification('product_received', e.claimedByAlice),
      notification('story_approved', e.s1Approved),
      notification('story_rejected', e.s1Rejected),
      notification('listing_reserved', e.t1Reserved),
      notification('listing_reserved', e.t2Reserved),
      notification('listing_sold', e.t2Sold),
      notification('product_received', e.backToAlice),
    ],
    position: e.backToAlice.position,
  })
  t.strictSame(await inbox(store, ids.alice), { id: ids.alice, userId: ids.alice, count: 7, position: e.backToAlice.position })
  t.strictSame(await page(store, ids.bob, 0), {
    id: notificationPageId(ids.bob, 0),
    userId: ids.bob,
    page: 0,
    notifications: [notification('product_received', e.soldToBob)],
    position: e.soldToBob.position,
  })
  t.strictSame(await inbox(store, ids.bob), { id: ids.bob, userId: ids.bob, count: 1, position: e.soldToBob.position })
  t.equal(await inbox(store, ids.brand), null, 'no inbox for who was never notified')
  t.equal(await page(store, ids.alice, 1), null)
})

t.test('a moderated story tells its author, approved or rejected', async t => {
  const approved = await projected(until(events, e.s1Approved))
  t.strictSame((await page(approved, ids.alice, 0))?.notifications.at(-1), notification('story_approved', e.s1Approved))
  const rejected = await projected(until(events, e.s1Rejected))
  t.strictSame((await page(rejected, ids.alice, 0))?.notifications.at(-1), notification('story_rejected', e.s1Rejected))
  t.equal((await inbox(rejected, ids.alice))?.count, 3)
})

t.test('a first notification begins page 0 and the inbox', async t => {
  const { events, gifts: [gift], productId } = gifts(1)
  const store = await projected(events)
  t.strictSame(await notificationsOf(store), {
    pages: [{ id: 'carol:0', userId: 'carol', page: 0, notifications: [notification('product_received', gift!, productId)], position: gift!.position }],
    inboxes: [{ id: 'carol', userId: 'carol', count: 1, position: gift!.position }],
  })
})

t.test(`notifications fill pages of ${NOTIFICATIONS_PER_PAGE}, oldest first`, async t => {
  const { events, gifts: all, productId } = gifts(120)
  const store = await projected(events)
  const pages = await Promise.all([0, 1, 2].map(n => page(store, 'carol', n)))
  t.strictSame(pages.map(doc => doc?.notifications.length), [50, 50, 20])
  t.strictSame(pages.map(doc => doc?.position), [all[49]!.position, all[99]!.position, all[119]!.position], 'each page records its last event')
  t.strictSame(pages.flatMap(doc => doc!.notifications), all.map(gift => notification('product_received', gift, productId)))
  t.strictSame(await inbox(store, 'carol'), { id: 'carol', userId: 'carol', count: 120, position: all[119]!.position })
  t.equal(await page(store, 'carol', 3), null)
})

t.test('replayed events notify no one twice', async t => {
  const store = await projected(events)
  const once = await notificationsOf(store)
  await projectAll(store, events)
  t.strictSame(await notificationsOf(store), once, 'the whole log again')
  await projectAll(store, until(events, e.t2Reserved))
  t.strictSame(await notificationsOf(store), once, 'a part of it again')

  for (const count of [120, 100]) {
    const long = gifts(count)
    const filled = await projected(long.events)
    const full = await notificationsOf(filled)
    await projectAll(filled, long.events.slice(40, 90))
    t.strictSame(await notificationsOf(filled), full, `across page boundaries, ${count} notifications`)
  }
})

t.test('a batch written halfway, its pages but not the inbox, is applied again without gaps or repeats', async t => {
  const { events } = gifts(120)
  const done = await notificationsOf(await projected(events))
  const before = await projected(events.slice(0, 70))
  // As if the batch of events 71..120 had been written up to its inboxes: pages as of the end, the inbox as of event 70.
  const store = new SqliteReadModelStore(':memory:')
  const inboxes = (await notificationsOf(before)).inboxes!
  const documents = [...done.pages!.map(doc => ({ collection: collections.notifications, doc })), ...inboxes.map(doc => ({ collection: collections.inboxes, doc }))]
  await store.write({ documents: documents.map(({ collection, doc }) => ({ collection, id: doc.id, position: doc.position, doc })), checkpoints: new Map() })
  await projectAll(store, events.slice(70))
  t.strictSame(await notificationsOf(store), done)
})
