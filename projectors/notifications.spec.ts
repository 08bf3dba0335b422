import t from 'tap'
import { collections, type NotificationDoc } from './documents.ts'
import type { Recorded, ProjectedEvent } from './projection.ts'
import { ids, scenario } from './testing/scenario.ts'
import { projected } from './testing/store.ts'

const { events, e } = scenario()

const notification = (userId: string, type: NotificationDoc['type'], event: Recorded<ProjectedEvent>): NotificationDoc => ({
  id: `${userId}:${event.metadata.eventId}`,
  userId,
  type,
  productId: ids.p1,
  eventId: event.metadata.eventId,
  createdAt: event.metadata.occurredAt,
  read: false,
  position: event.position,
})

t.test('owners, sellers and authors are told what happened, newest first', async t => {
  const store = await projected(events)
  const inbox = async (userId: string) =>
    (await store.find<NotificationDoc>(collections.notifications, { where: { userId }, sort: '-createdAt', limit: 100 })).items
  t.strictSame(await inbox(ids.alice), [
    notification(ids.alice, 'product_received', e.backToAlice),
    notification(ids.alice, 'listing_sold', e.t2Sold),
    notification(ids.alice, 'listing_reserved', e.t2Reserved),
    notification(ids.alice, 'listing_reserved', e.t1Reserved),
    notification(ids.alice, 'story_rejected', e.s1Rejected),
    notification(ids.alice, 'story_approved', e.s1Approved),
    notification(ids.alice, 'product_received', e.claimedByAlice),
  ])
  t.strictSame(await inbox(ids.bob), [notification(ids.bob, 'product_received', e.soldToBob)])
})
