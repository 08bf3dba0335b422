/** Owners' stories: POST /stories, PUT and DELETE /stories/{storyId}, POST /moderation/stories/{storyId}/decision. */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { CommandApiContext } from '../../app/context.ts'
import { childId } from '../../domain/ids.ts'
import type { ProductState } from '../../domain/product/state.ts'
import { authUser, requireAuth, requireRole } from '../../http/auth.ts'
import { requireOwnMedia } from '../media/ownMedia.ts'
import { Id, MediaIds, NoBody, OneOf, PathId, Position, Strict, Text, Time } from '../../shared/schemas.ts'
import { positionOf, productOf, writeProduct } from '../write.ts'

const content = { title: Text(200), body: Text(10_000), occurredAt: Type.Optional(Time), mediaIds: Type.Optional(MediaIds) }

const storyParams = Strict({ storyId: PathId })

const StoryStatus = OneOf('published', 'pending', 'rejected')

const StoryWritten = Strict({ storyId: Type.String(), status: StoryStatus, position: Position })

const statusOf = (state: ProductState, storyId: string) => state.stories[storyId]!.status

export const storyRoutes: FastifyPluginAsyncTypebox<{ ctx: CommandApiContext }> = async (app, { ctx }) => {
  app.post(
    '/stories',
    { onRequest: requireAuth, schema: { body: Strict({ productId: Id, ...content }), response: { 201: StoryWritten } } },
    async (request, reply) => {
      const { productId, occurredAt = request.receivedAt, mediaIds = [], ...story } = request.body
      await requireOwnMedia(ctx, mediaIds, authUser(request).userId, 'a story')
      const storyId = childId(productId, ctx.newId())
      const result = await writeProduct(ctx, request, reply, { type: 'SubmitStory', data: { ...story, productId, storyId, occurredAt, mediaIds } })
      return reply.code(201).send({ storyId, status: statusOf(result.newState, storyId), position: positionOf(result) })
    },
  )

  app.put(
    '/stories/:storyId',
    {
      onRequest: requireAuth,
      schema: { params: storyParams, body: Type.Partial(Strict(content), { minProperties: 1 }), response: { 200: StoryWritten } },
    },
    async (request, reply) => {
      const { storyId } = request.params
      const productId = productOf(storyId, 'story')
      await requireOwnMedia(ctx, request.body.mediaIds, authUser(request).userId, 'a story')
      const data = { ...request.body, productId, storyId }
      const result = await writeProduct(ctx, request, reply, { type: 'EditStory', data })
      return { storyId, status: statusOf(result.newState, storyId), position: positionOf(result) }
    },
  )

  app.delete('/stories/:storyId', { onRequest: requireAuth, schema: { params: storyParams, body: NoBody, response: { 204: Type.Null() } } }, async (request, reply) => {
    const { storyId } = request.params
    await writeProduct(ctx, request, reply, { type: 'DeleteStory', data: { productId: productOf(storyId, 'story'), storyId } })
    return reply.code(204).send(null)
  })

  app.post(
    '/moderation/stories/:storyId/decision',
    {
      onRequest: requireRole('moderator'),
      schema: {
        params: storyParams,
        body: Strict({ decision: OneOf('approve', 'reject'), reason: Type.Optional(Text(1000)) }),
        response: { 200: StoryWritten },
      },
    },
    async (request, reply) => {
      const { storyId } = request.params
      const data = { ...request.body, productId: productOf(storyId, 'story'), storyId }
      const result = await writeProduct(ctx, request, reply, { type: 'ModerateStory', data })
      return { storyId, status: statusOf(result.newState, storyId), position: positionOf(result) }
    },
  )
}
