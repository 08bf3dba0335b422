/** Stories from the read model: what the public (and the author) may read of a product's stories. */
import { Type } from '@fastify/type-provider-typebox'
import type { AppContext } from '../../app/context.ts'
import { collections, type StoryDoc } from '../../readmodels/documents.ts'
import type { Page } from '../../readmodels/port.ts'
import type { People } from '../passport/people.ts'
import { Nullable, PersonRef } from '../schemas.ts'

export const mediaUrl = (mediaId: string) => `/api/media/${encodeURIComponent(mediaId)}`

export const StoryStatus = Type.Union([Type.Literal('published'), Type.Literal('pending'), Type.Literal('rejected')])

export const PublicStorySchema = Type.Object({
  storyId: Type.String(),
  productId: Type.String(),
  author: PersonRef,
  title: Nullable(Type.String()),
  body: Nullable(Type.String()),
  occurredAt: Type.String(),
  mediaIds: Type.Array(Type.String()),
  media: Type.Array(Type.Object({ mediaId: Type.String(), url: Type.String() })),
  status: StoryStatus,
  submittedAt: Type.String(),
  updatedAt: Type.String(),
})

/** What a moderator sees: the author and the automatic verdict's reason too. */
export const ModerationStorySchema = Type.Composite([
  PublicStorySchema,
  Type.Object({ authorId: Type.String(), moderationReason: Nullable(Type.String()) }),
])

export const presentStory = (story: StoryDoc, people: People) => ({
  storyId: story.storyId,
  productId: story.productId,
  author: people.ref(story.authorId),
  title: story.title,
  body: story.body,
  occurredAt: story.occurredAt,
  mediaIds: story.mediaIds,
  media: story.mediaIds.map(mediaId => ({ mediaId, url: mediaUrl(mediaId) })),
  status: story.status,
  submittedAt: story.submittedAt,
  updatedAt: story.updatedAt,
})

/**
 * A product's published stories, oldest occurredAt first, plus the viewer's own pending ones. Others'
 * pending stories are dropped after the query, so a page may hold fewer than `limit` items.
 */
export async function readableStories(
  ctx: AppContext,
  productId: string,
  viewerId: string | null,
  page: { limit: number; cursor?: string },
): Promise<Page<StoryDoc>> {
  const status = viewerId === null ? 'published' : { in: ['published', 'pending'] }
  const found = await ctx.readModels.find<StoryDoc>(collections.stories, {
    where: { productId, status, deleted: false },
    sort: 'occurredAt',
    ...page,
  })
  return { ...found, items: found.items.filter(story => story.status === 'published' || story.authorId === viewerId) }
}
