/** POST /products (a brand creates a passport with its first QR code) and POST /products/{productId}/qr. */
import { randomBytes } from 'node:crypto'
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { CommandApiContext } from '../../app/context.ts'
import { streams } from '../../domain/ids.ts'
import { CSET_82_SERIAL } from '../../domain/product/gtin.ts'
import type { ProductEvent } from '../../domain/product/events.ts'
import { authUser, requireAuth, requireRole } from '../../http/auth.ts'
import { commandMetadata } from '../../http/commandContext.ts'
import { HttpProblem } from '../../http/problem.ts'
import { qrCodesFor } from '../../qr/codes.ts'
import { issuingBrand } from '../brandName.ts'
import { claimAll, itemIdentifierKey } from '../claims.ts'
import { readDomainEvents } from '../../eventlog/domainEvents.ts'
import { Id, LongText, Materials, Money, NoBody, Position, productParams, Strict, Text } from '../../shared/schemas.ts'
import { positionOf, writeProduct } from '../write.ts'
import { collectionFacts } from './collectionFacts.ts'
import { passportDataFields } from '../lifecycle/schemas.ts'
import { hasPassportData, passportDataOf, withoutPassportData } from '../../domain/product/rules/passportData.ts'

const NewProduct = Strict({
  name: Text(200),
  description: Type.Optional(LongText(5000)),
  collectionId: Type.Optional(Id),
  designId: Type.Optional(Id),
  gtin: Type.Optional(Type.String({ pattern: '^(?:[0-9]{8}|[0-9]{12,14})$', format: 'gtin', description: 'GTIN-8/12/13/14 with its check digit' })),
  serialNumber: Type.Optional(
    Type.String({ pattern: '^[!-~]{1,20}$', description: 'up to 20 printable ASCII characters; with a GTIN, of GS1 CSET 82 (GS1 application identifier 21)' }),
  ),
  materials: Type.Optional(Materials),
  madeIn: Type.Optional(Text(100)),
  originalPrice: Type.Optional(Money),
  ...passportDataFields,
})

/** With a GTIN, the serial number goes into a GS1 Digital Link, which takes CSET 82 only. */
function requireDigitalLinkSerial({ gtin, serialNumber }: { gtin?: string; serialNumber?: string }): void {
  if (gtin === undefined || serialNumber === undefined || CSET_82_SERIAL.test(serialNumber)) return
  const message = 'with a GTIN, must be 1 to 20 characters of GS1 CSET 82'
  throw new HttpProblem(400, 'Bad Request', 'the request is not valid', [{ path: '/body/serialNumber', message }])
}

const IssuedQr = { qrCode: Type.String(), qrUrl: Type.String(), position: Position }

const newNonce = () => randomBytes(12).toString('base64url')

const newSerialNumber = () => randomBytes(8).toString('hex').toUpperCase()

export const productRoutes: FastifyPluginAsyncTypebox<{ ctx: CommandApiContext }> = async (app, { ctx }) => {
  const qr = qrCodesFor(ctx.config)
  const issueQr = (product: { productId: string; gtin?: string; serialNumber: string }) => qr.issue({ ...product, nonce: newNonce() })

  async function collectionOf(collectionId: string | undefined) {
    if (collectionId === undefined) return undefined
    const facts = await collectionFacts(ctx, collectionId)
    if (!facts) throw new HttpProblem(422, 'Unprocessable Content', 'the collection does not exist')
    return facts
  }

  app.post(
    '/products',
    {
      onRequest: requireRole('brand'),
      schema: { body: NewProduct, response: { 201: Strict({ productId: Type.String(), ownerId: Type.String(), ...IssuedQr }) } },
    },
    async (request, reply) => {
      requireDigitalLinkSerial(request.body)
      const brandId = authUser(request).userId
      const passportData = passportDataOf(request.body)
      const product = { ...withoutPassportData(request.body), productId: ctx.newId(), serialNumber: request.body.serialNumber ?? newSerialNumber() }
      const [{ brandName, facts: brand }, collection] = await Promise.all([issuingBrand(ctx, brandId), collectionOf(product.collectionId)])
      const data = { ...product, ...issueQr(product), brandId, brandName, brand, collection, ...(hasPassportData(passportData) ? { passportData } : {}) }
      // (gtin, serialNumber) is unique across brands: its claim is written with the creation, once the decider agreed.
      const { gtin, serialNumber, productId } = product
      const beforeAppend = async () => {
        if (gtin !== undefined) await claimAll(ctx, [{ kind: 'itemIdentifier', value: itemIdentifierKey(gtin, serialNumber) }], productId, commandMetadata(request))
      }
      const result = await writeProduct(ctx, request, reply, { type: 'CreateProduct', data }, { beforeAppend })
      return reply.code(201).send({ productId: data.productId, qrCode: data.qrCode, qrUrl: data.qrUrl, ownerId: brandId, position: positionOf(result) })
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
      const issued = issueQr(created.data)
      const result = await writeProduct(ctx, request, reply, { type: 'RegenerateQrCode', data: { productId, ...issued } })
      return reply.code(201).send({ productId, ...issued, position: positionOf(result) })
    },
  )
}
