/** POST /ownership/transfer, POST /ownership/claim, PUT /ownership/{productId}/consent. */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { CommandApiContext } from '../../app/context.ts'
import { authUser, requireAuth } from '../../http/auth.ts'
import { HttpProblem } from '../../http/problem.ts'
import { currentRoles } from '../users/roles.ts'
import { Id, Position, productParams, Strict, Time, Visibility } from '../../shared/schemas.ts'
import { minutesAfter } from '../time.ts'
import { positionOf, productOf, writeProduct } from '../write.ts'
import { CLAIM_CODE_DAYS, claimCodeHash, newClaimCode } from './claimCode.ts'

const Ownership = Strict({ productId: Type.String(), ownerId: Type.String(), position: Position })

/** A direct transfer names the new owner; otherwise the answer carries the claim code, shown this once. */
const Transferred = Strict({
  productId: Type.String(),
  ownerId: Type.Optional(Type.String()),
  claimCode: Type.Optional(Type.String()),
  expiresAt: Type.Optional(Time),
  position: Position,
})

export const ownershipRoutes: FastifyPluginAsyncTypebox<{ ctx: CommandApiContext }> = async (app, { ctx }) => {
  app.post(
    '/ownership/transfer',
    {
      onRequest: requireAuth,
      schema: {
        body: Strict({ productId: Id, toUserId: Type.Optional(Id) }),
        response: { 200: Transferred },
      },
    },
    async (request, reply) => {
      const { productId, toUserId } = request.body
      if (toUserId !== undefined) {
        if ((await currentRoles(ctx, toUserId)) === null) throw new HttpProblem(422, 'Unprocessable Content', 'the recipient has no account')
        const result = await writeProduct(ctx, request, reply, { type: 'TransferOwnership', data: { productId, toUserId } })
        return { productId, ownerId: toUserId, position: positionOf(result) }
      }
      const claimCode = newClaimCode(productId)
      const expiresAt = minutesAfter(request.receivedAt, CLAIM_CODE_DAYS * 24 * 60)
      const result = await writeProduct(ctx, request, reply, { type: 'IssueClaimCode', data: { productId, claimCodeHash: claimCodeHash(claimCode), expiresAt } })
      return { productId, claimCode, expiresAt, position: positionOf(result) }
    },
  )

  app.post(
    '/ownership/claim',
    { onRequest: requireAuth, schema: { body: Strict({ claimCode: Type.String({ minLength: 1, maxLength: 256 }) }), response: { 200: Ownership } } },
    async (request, reply) => {
      const { claimCode } = request.body
      const productId = productOf(claimCode, 'claim code')
      const result = await writeProduct(ctx, request, reply, { type: 'ClaimProduct', data: { productId, claimCodeHash: claimCodeHash(claimCode) } })
      return { productId, ownerId: authUser(request).userId, position: positionOf(result) }
    },
  )

  app.put(
    '/ownership/:productId/consent',
    {
      onRequest: requireAuth,
      schema: { params: productParams, body: Strict({ visibility: Visibility }), response: { 200: Strict({ productId: Type.String(), visibility: Visibility, position: Position }) } },
    },
    async (request, reply) => {
      const data = { productId: request.params.productId, visibility: request.body.visibility }
      const result = await writeProduct(ctx, request, reply, { type: 'ChangeConsent', data })
      return { ...data, position: positionOf(result) }
    },
  )
}
