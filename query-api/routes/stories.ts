/** A product's stories for anyone, and the moderation queue for moderators. */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext } from '../../app/context.ts'
import { requireRole } from '../../http/auth.ts'
import { collections, type ProductDoc, type StoryDoc } from '../../readmodels/documents.ts'
import { loadPeople } from '../passport/people.ts'
import { found } from '../refusals.ts'
import { PageOf, PageQuery, PathId } from '../schemas.ts'
import { peopleOfProduct } from '../views/product.ts'
import { ModerationStorySchema, presentStory, PublicStorySchema, readableStories, StoryStatus } from '../views/stories.ts'

export const storyRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/stories/:productId',
    {
      schema: {
        params: Type.Object({ productId: PathId }),
        querystring: PageQuery,
        response: { 200: PageOf(PublicStorySchema) },
      },
    },
    async request => {
      const product = await found(ctx.readModels.get<ProductDoc>(collections.products, request.params.productId), 'product')
      const [page, people] = await Promise.all([
        readableStories(ctx, product.productId, request.auth?.userId ?? null, request.query),
        peopleOfProduct(ctx, product),
      ])
      return { items: page.items.map(story => presentStory(story, people)), nextCursor: page.nextCursor }
    },
  )

  app.get(
    '/moderation/stories',
    {
      onRequest: requireRole('moderator', 'admin'),
      schema: {
        querystring: Type.Composite([
          PageQuery,
          Type.Object({
            status: Type.Union(StoryStatus.anyOf, { default: 'pending' }),
          }),
        ]),
        response: { 200: PageOf(ModerationStorySchema) },
      },
    },
    async request => {
      const { status, limit, cursor } = request.query
      const page = await ctx.readModels.find<StoryDoc>(collections.stories, {
        where: { status, deleted: false },
        sort: 'submittedAt',
        limit,
        cursor,
      })
      // Moderators see authors whatever their consent.
      const people = await loadPeople(ctx, new Map(page.items.map(story => [story.authorId, 'public' as const])))
      const items = page.items.map(story => ({
        ...presentStory(story, people),
        authorId: story.authorId,
        moderationReason: story.moderationReason ?? null,
      }))
      return { items, nextCursor: page.nextCursor }
    },
  )
}
