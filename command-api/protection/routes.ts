/**
 * An owner's protections: PUT /products/{productId}/alert (lost, stolen, none), POST /ownership/{productId}/proofs
 * and DELETE /ownership-proofs/{proofToken}. A proof is checked by anyone with GET /ownership-proofs/{proofToken}.
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { CommandApiContext as AppContext } from '../../app/context.ts'
import { requireAuth } from '../../http/auth.ts'
import { newProductToken, tokenHash } from '../../shared/productTokens.ts'
import { LongText, NoBody, OneOf, PathId, Position, productParams, Strict, Time } from '../../shared/schemas.ts'
import { minutesAfter } from '../time.ts'
import { positionOf, productOf, writeProduct } from '../write.ts'

export const AlertSchema = Type.Union([Strict({ status: OneOf('lost', 'stolen'), since: Time, note: Type.Optional(Type.String()) }), Type.Null()])

const DEFAULT_PROOF_MINUTES = 1440

export const proofUrl = (publicBaseUrl: string, proofToken: string): string => `${publicBaseUrl}/api/ownership-proofs/${proofToken}`

export const protectionRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.put(
    '/products/:productId/alert',
    {
      onRequest: requireAuth,
      schema: {
        params: productParams,
        body: Strict({ status: OneOf('lost', 'stolen', 'none'), note: Type.Optional(LongText(1000)) }),
        response: { 200: Strict({ productId: Type.String(), alert: AlertSchema, position: Position }) },
      },
    },
    async (request, reply) => {
      const { productId } = request.params
      const result = await writeProduct(ctx, request, reply, { type: 'SetAlert', data: { productId, ...request.body } })
      const alert = result.newState.alert
      return { productId, alert: alert && { status: alert.status, since: alert.since, ...(alert.note !== undefined && { note: alert.note }) }, position: positionOf(result) }
    },
  )

  app.post(
    '/ownership/:productId/proofs',
    {
      onRequest: requireAuth,
      schema: {
        params: productParams,
        body: Type.Union([Strict({ ttlMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_080, description: 'how long the proof holds; a day (1440) unless given' })) }), Type.Null({ description: 'no body' })]),
        response: { 201: Strict({ proofToken: Type.String(), url: Type.String(), expiresAt: Time, position: Position }) },
      },
    },
    async (request, reply) => {
      const { productId } = request.params
      const proofToken = newProductToken(productId)
      const expiresAt = minutesAfter(request.receivedAt, request.body?.ttlMinutes ?? DEFAULT_PROOF_MINUTES)
      const result = await writeProduct(ctx, request, reply, { type: 'IssueOwnershipProof', data: { productId, proofHash: tokenHash(proofToken), expiresAt } })
      return reply.code(201).send({ proofToken, url: proofUrl(ctx.config.publicBaseUrl, proofToken), expiresAt, position: positionOf(result) })
    },
  )

  app.delete(
    '/ownership-proofs/:proofToken',
    { onRequest: requireAuth, schema: { params: Strict({ proofToken: PathId }), body: NoBody, response: { 204: Type.Null() } } },
    async (request, reply) => {
      const { proofToken } = request.params
      const productId = productOf(proofToken, 'proof')
      await writeProduct(ctx, request, reply, { type: 'RevokeOwnershipProof', data: { productId, proofHash: tokenHash(proofToken) } })
      return reply.code(204).send(null)
    },
  )
}
