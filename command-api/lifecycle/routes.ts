/**
 * POST /products/{productId}/lifecycle (a partner, by token or key with lifecycle:write, or the product's brand),
 * POST /products/{productId}/lifecycle/{lifecycleId}/decision (the current owner), and
 * PUT /products/{productId}/passport-data (the product's brand).
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { CommandApiContext } from '../../app/context.ts'
import { childId } from '../../domain/ids.ts'
import { authUser, requireAuth } from '../../http/auth.ts'
import { requireOwnMedia } from '../media/ownMedia.ts'
import { OneOf, PathId, Position, productParams, Strict } from '../../shared/schemas.ts'
import { positionOf, writeProduct } from '../write.ts'
import { LifecycleStatus, NewLifecycleRecord, PassportDataBody, passportDataFields } from './schemas.ts'

const Written = Strict({ lifecycleId: Type.String(), status: LifecycleStatus, position: Position })

export const lifecycleRoutes: FastifyPluginAsyncTypebox<{ ctx: CommandApiContext }> = async (app, { ctx }) => {
  app.post(
    '/products/:productId/lifecycle',
    {
      onRequest: requireAuth,
      config: { apiKeyScope: 'lifecycle:write' },
      schema: { params: productParams, body: NewLifecycleRecord, response: { 201: Written } },
    },
    async (request, reply) => {
      const { productId } = request.params
      const { occurredAt = request.receivedAt, mediaIds = [], ...record } = request.body
      await requireOwnMedia(ctx, mediaIds, authUser(request).userId, 'a lifecycle record')
      const lifecycleId = childId(productId, ctx.newId())
      const result = await writeProduct(ctx, request, reply, { type: 'RecordLifecycle', data: { ...record, productId, lifecycleId, occurredAt, mediaIds } })
      return reply.code(201).send({ lifecycleId, status: 'pending_owner' as const, position: positionOf(result) })
    },
  )

  app.post(
    '/products/:productId/lifecycle/:lifecycleId/decision',
    {
      onRequest: requireAuth,
      schema: {
        params: Strict({ productId: PathId, lifecycleId: PathId }),
        body: Strict({ decision: OneOf('accept', 'refuse') }),
        response: { 200: Written },
      },
    },
    async (request, reply) => {
      const { productId, lifecycleId } = request.params
      const result = await writeProduct(ctx, request, reply, { type: 'DecideLifecycle', data: { productId, lifecycleId, decision: request.body.decision } })
      return { lifecycleId, status: result.newState.lifecycle[lifecycleId]!.status, position: positionOf(result) }
    },
  )

  app.put(
    '/products/:productId/passport-data',
    {
      onRequest: requireAuth,
      schema: {
        params: productParams,
        body: PassportDataBody,
        response: { 200: Type.Composite([Strict({ productId: Type.String(), position: Position }), Strict(passportDataFields)]) },
      },
    },
    async (request, reply) => {
      const { productId } = request.params
      const result = await writeProduct(ctx, request, reply, { type: 'SetPassportData', data: { ...request.body, productId } })
      return { productId, ...result.newState.passportData, position: positionOf(result) }
    },
  )
}
