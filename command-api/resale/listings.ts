/** POST /resale/listings (the owner lists the product) and PUT /resale/listings/{listingId} (the seller edits or withdraws). */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { CommandApiContext } from '../../app/context.ts'
import { childId } from '../../domain/ids.ts'
import { requireAuth } from '../../http/auth.ts'
import { HttpProblem } from '../../http/problem.ts'
import { Condition, Id, Money, OneOf, PathId, Position, Strict, Text } from '../../shared/schemas.ts'
import { positionOf, productOf, writeProduct } from '../write.ts'
import { suggestedPrice } from './suggestedPrice.ts'

const terms = { price: Money, condition: Condition, description: Type.Optional(Text(2000)) }

const ListingChange = Type.Partial(Strict({ ...terms, status: Type.Literal('withdrawn') }), { minProperties: 1 })

const ListingStatus = OneOf('active', 'withdrawn')

export const listingRoutes: FastifyPluginAsyncTypebox<{ ctx: CommandApiContext }> = async (app, { ctx }) => {
  app.post(
    '/resale/listings',
    {
      onRequest: requireAuth,
      schema: {
        body: Strict({ productId: Id, ...terms }),
        response: { 201: Strict({ listingId: Type.String(), status: ListingStatus, suggestedPrice: Type.Union([Money, Type.Null()]), position: Position }) },
      },
    },
    async (request, reply) => {
      const { productId, condition } = request.body
      const listingId = childId(productId, ctx.newId())
      const suggested = await suggestedPrice(ctx, productId, condition, request.receivedAt)
      const result = await writeProduct(ctx, request, reply, { type: 'ListProduct', data: { ...request.body, listingId, suggestedPrice: suggested } })
      return reply.code(201).send({ listingId, status: 'active', suggestedPrice: suggested, position: positionOf(result) })
    },
  )

  app.put(
    '/resale/listings/:listingId',
    {
      onRequest: requireAuth,
      schema: { params: Strict({ listingId: PathId }), body: ListingChange, response: { 200: Strict({ listingId: Type.String(), status: ListingStatus, position: Position }) } },
    },
    async (request, reply) => {
      const { listingId } = request.params
      const { status, ...change } = request.body
      if (status && Object.keys(change).length > 0) {
        throw new HttpProblem(400, 'Bad Request', 'withdraw a listing on its own, without other changes', [
          { path: '/body/status', message: 'cannot be combined with other changes' },
        ])
      }
      const productId = productOf(listingId, 'listing')
      const command = status
        ? ({ type: 'WithdrawListing', data: { productId, listingId } } as const)
        : ({ type: 'UpdateListing', data: { ...change, productId, listingId } } as const)
      const result = await writeProduct(ctx, request, reply, command)
      return { listingId, status: status ?? ('active' as const), position: positionOf(result) }
    },
  )
}
