/** POST /products (a brand creates a passport with its first QR code) and POST /products/{productId}/qr. */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { CommandApiContext } from '../../app/context.ts'
import { streams } from '../../domain/ids.ts'
import type { ProductEvent } from '../../domain/product/events.ts'
import { authUser, requireAuth, requireRole } from '../../http/auth.ts'
import { commandMetadata } from '../../http/commandContext.ts'
import { ifMatchRevision, setETag } from '../../http/etag.ts'
import { HttpProblem } from '../../http/problem.ts'
import { qrCodesFor } from '../../qr/codes.ts'
import { readDomainEvents } from '../../eventlog/domainEvents.ts'
import { NoBody, Position, productParams, Strict } from '../../shared/schemas.ts'
import { positionOf, writeProduct } from '../write.ts'
import { issueProduct, issuingFacts, NewProduct, newNonce } from './issue.ts'

const IssuedQr = { qrCode: Type.String(), qrUrl: Type.String(), position: Position }

export const productRoutes: FastifyPluginAsyncTypebox<{ ctx: CommandApiContext }> = async (app, { ctx }) => {
  const qr = qrCodesFor(ctx.config)

  app.post(
    '/products',
    {
      onRequest: requireRole('brand'),
      schema: { body: NewProduct, response: { 201: Strict({ productId: Type.String(), ownerId: Type.String(), ...IssuedQr }) } },
    },
    async (request, reply) => {
      const brandId = authUser(request).userId
      const issued = await issueProduct(ctx, {
        body: request.body,
        productId: ctx.newId(),
        brandId,
        facts: issuingFacts(ctx, brandId),
        metadata: commandMetadata(request),
        newEventId: ctx.newId,
        ifMatch: ifMatchRevision(request),
      })
      setETag(reply, issued.result.revision)
      return reply.code(201).send({ productId: issued.productId, qrCode: issued.qrCode, qrUrl: issued.qrUrl, ownerId: brandId, position: positionOf(issued.result) })
    },
  )

  app.post(
    '/products/:productId/qr',
    {
      onRequest: requireAuth,
      schema: { params: productParams, body: NoBody, response: { 201: Strict({ productId: Type.String(), ...IssuedQr }) } },
    },
    async (request, reply) => {
      const { productId } = request.params
      const [created] = await readDomainEvents<ProductEvent>(ctx.eventLog, streams.product(productId), { maxCount: 1 })
      if (created?.type !== 'ProductCreated') throw new HttpProblem(404, 'Not Found', 'product not found')
      const issued = qr.issue({ ...created.data, nonce: newNonce() })
      const result = await writeProduct(ctx, request, reply, { type: 'RegenerateQrCode', data: { productId, ...issued } })
      return reply.code(201).send({ productId, ...issued, position: positionOf(result) })
    },
  )
}
