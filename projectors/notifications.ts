/**
 * notifications: each user's inbox, a count of their notifications and the notifications themselves in pages of
 * NOTIFICATIONS_PER_PAGE, in log order: a user's notifications cost a document per page, not one each.
 */
import type { ProductEvent } from '../domain/product/events.ts'
import type { ProjectionStore } from '../readmodels/unitOfWork.ts'
import {
  collections,
  notificationPageId,
  notificationPageOf,
  NOTIFICATIONS_PER_PAGE,
  type InboxDoc,
  type Notification,
  type NotificationPageDoc,
  type StoryDoc,
} from '../readmodels/documents.ts'
import { defineProjection, type Recorded } from './projection.ts'
import { create, patch } from './write.ts'

/** Appends to the user's last page, or begins the next; the inbox is written last, so that its position says the event is applied. */
async function notify(store: ProjectionStore, event: Recorded<ProductEvent>, userId: string, type: Notification['type']) {
  const inbox = await store.get<InboxDoc>(collections.inboxes, userId)
  if (inbox && inbox.position >= event.position) return
  const count = inbox?.count ?? 0
  const page = notificationPageOf(count)
  const { eventId, occurredAt } = event.metadata
  const entry: Notification = { type, productId: event.data.productId, eventId, createdAt: occurredAt, position: event.position }
  const pageId = notificationPageId(userId, page)
  if (count % NOTIFICATIONS_PER_PAGE === 0) {
    await create<NotificationPageDoc>(store, collections.notifications, event, { id: pageId, userId, page, notifications: [entry] })
  } else {
    await patch<NotificationPageDoc>(store, collections.notifications, pageId, event, doc => ({ notifications: [...doc.notifications, entry] }))
  }
  if (inbox) await patch<InboxDoc>(store, collections.inboxes, userId, event, () => ({ count: count + 1 }))
  else await create<InboxDoc>(store, collections.inboxes, event, { id: userId, userId, count: 1 })
}

export const notificationsProjection = defineProjection({
  name: 'notifications',
  // Written in this order: an inbox records an event's position once its pages hold it too.
  collections: [
    { name: collections.notifications, indexes: [] },
    { name: collections.inboxes, indexes: [] },
  ],
  on: {
    OwnershipTransferred: (event, store) => notify(store, event, event.data.toUserId, 'product_received'),
    ListingReserved: (event, store) => notify(store, event, event.data.sellerId, 'listing_reserved'),
    ProductSold: (event, store) => notify(store, event, event.data.sellerId, 'listing_sold'),
    ScanAnomalyDetected: async (event, store) => {
      const { brandId, ownerId } = event.data
      await notify(store, event, brandId, 'scan_anomaly')
      if (ownerId !== brandId) await notify(store, event, ownerId, 'scan_anomaly')
    },
    LifecycleRecorded: (event, store) => notify(store, event, event.data.ownerId, 'lifecycle_pending'),
    ScannedWhileReported: (event, store) => notify(store, event, event.data.ownerId, 'scanned_while_reported'),
    // The author comes from the stories projection, which runs before this one; a story's author never changes.
    StoryModerated: async (event, store) => {
      const story = await store.get<StoryDoc>(collections.stories, event.data.storyId)
      if (!story) throw new Error(`moderation of story ${event.data.storyId}, which the stories projection has not seen`)
      await notify(store, event, story.authorId, event.data.decision === 'approve' ? 'story_approved' : 'story_rejected')
    },
  },
})
