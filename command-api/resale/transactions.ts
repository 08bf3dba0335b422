/** A purchase: POST /resale/transactions reserves the listing for the buyer, then /confirm sells or /cancel releases it. */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { CommandApiContext } from '../../app/context.ts'
import { childId } from '../../domain/ids.ts'
import { requireAuth } from '../../http/auth.ts'
import { Id, Money, NoBody, PathId, Position, Strict, Time } from '../../shared/schemas.ts'
import { minutesAfter } from '../time.ts'
import { positionOf, productOf, writeProduct } from '../write.ts'

const transactionParams = Strict({ transactionId: PathId })

/** A payment service provider's reference: a bounded token, never free text (it is stored in the log). */
const PaymentReference = Type.String({ pattern: '^[A-Za-z0-9._:-]{1,64}$', description: "the payment provider's reference" })

/** What confirming or cancelling answers: the one status it leads to. */
const Settled = <const Status extends string>(status: Status) =>
  Strict({ transactionId: Type.String(), status: Type.Literal(status), position: Position })

export const transactionRoutes: FastifyPluginAsyncTypebox<{ ctx: CommandApiContext }> = async (app, { ctx }) => {
  app.post(
    '/resale/transactions',
    {
      onRequest: requireAuth,
      schema: {
        body: Strict({ listingId: Id }),
        response: {
          201: Strict({ transactionId: Type.String(), listingId: Type.String(), status: Type.Literal('pending_payment'), expiresAt: Time, price: Money, position: Position }),
        },
      },
    },
    async (request, reply) => {
      const { listingId } = request.body
      const productId = productOf(listingId, 'listing')
      const transactionId = childId(productId, ctx.newId())
      const expiresAt = minutesAfter(request.receivedAt, ctx.config.reservationMinutes)
      const result = await writeProduct(ctx, request, reply, { type: 'ReserveListing', data: { productId, listingId, transactionId, expiresAt } })
      const { price } = result.newState.listings[listingId]!
      return reply.code(201).send({ transactionId, listingId, status: 'pending_payment', expiresAt, price, position: positionOf(result) })
    },
  )

  app.post(
    '/resale/transactions/:transactionId/confirm',
    { onRequest: requireAuth, schema: { params: transactionParams, body: Strict({ paymentReference: PaymentReference }), response: { 200: Settled('completed') } } },
    async (request, reply) => {
      const { transactionId } = request.params
      const data = { productId: productOf(transactionId, 'transaction'), transactionId, paymentReference: request.body.paymentReference }
      const result = await writeProduct(ctx, request, reply, { type: 'ConfirmPurchase', data })
      return { transactionId, status: 'completed' as const, position: positionOf(result) }
    },
  )

  app.post(
    '/resale/transactions/:transactionId/cancel',
    { onRequest: requireAuth, schema: { params: transactionParams, body: NoBody, response: { 200: Settled('cancelled') } } },
    async (request, reply) => {
      const { transactionId } = request.params
      // A reservation that has run out is refused (409 "the reservation has expired"): nothing is left to cancel.
      const result = await writeProduct(ctx, request, reply, { type: 'CancelReservation', data: { productId: productOf(transactionId, 'transaction'), transactionId } })
      return { transactionId, status: 'cancelled' as const, position: positionOf(result) }
    },
  )
}
