/** notifications: each user's inbox, one document per (user, event) so a replay never notifies twice. */
import type { ProductEvent } from '../domain/product/events.ts'
import type { ProjectionStore } from '../readmodels/unitOfWork.ts'
import { collections, notificationId, type NotificationDoc, type StoryDoc } from './documents.ts'
import { defineProjection, type Recorded } from './projection.ts'
import { create } from './write.ts'

const notify = (store: ProjectionStore, event: Recorded<ProductEvent>, userId: string, type: NotificationDoc['type']) =>
  create<NotificationDoc>(store, collections.notifications, event, {
    id: notificationId(userId, event.metadata.eventId),
    userId,
    type,
    productId: event.data.productId,
    eventId: event.metadata.eventId,
    createdAt: event.metadata.occurredAt,
    read: false,
  })

export const notificationsProjection = defineProjection({
  name: 'notifications',
  collections: [{ name: collections.notifications, indexes: [['userId', 'createdAt']] }],
  on: {
    OwnershipTransferred: (event, store) => notify(store, event, event.data.toUserId, 'product_received'),
    ListingReserved: (event, store) => notify(store, event, event.data.sellerId, 'listing_reserved'),
    ProductSold: (event, store) => notify(store, event, event.data.sellerId, 'listing_sold'),
    // The author comes from the stories projection, which runs before this one; a story's author never changes.
    StoryModerated: async (event, store) => {
      const story = await store.get<StoryDoc>(collections.stories, event.data.storyId)
      if (!story) throw new Error(`moderation of story ${event.data.storyId}, which the stories projection has not seen`)
      await notify(store, event, story.authorId, event.data.decision === 'approve' ? 'story_approved' : 'story_rejected')
    },
  },
})
