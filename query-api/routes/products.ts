/** A scanned code, the product's QR images, and its full read model. */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import type { AppContext } from '../../app/context.ts'
import { setETag, toETag } from '../../http/etag.ts'
import { renderQrPng, renderQrSvg } from '../../qr/render.ts'
import { collections, type ProductDoc, type QrCodeDoc } from '../../projectors/documents.ts'
import { found, notFound } from '../refusals.ts'
import { NotJson, Nullable, PathId, Position } from '../schemas.ts'
import { minPositionOf } from '../minPosition.ts'
import { followLog, ScanCache } from '../views/scanCache.ts'
import { cachedScanJson, peopleOfProduct, presentProduct, PublicProductSchema, scanJson, ScanSchema, UNKNOWN_CODE } from '../views/product.ts'
import { namedProductId, qrCodesFor } from '../../qr/codes.ts'
import { scannerOf, scanWatchOf } from '../scans/scanWatch.ts'

const ProductParams = Type.Object({ productId: PathId })

const DetailsSchema = Type.Composite([
  PublicProductSchema,
  Type.Object({
    qr: Nullable(
      Type.Object({
        code: Type.String(),
        url: Type.String(),
        issuedAt: Type.String(),
        status: Nullable(Type.Union([Type.Literal('active'), Type.Literal('revoked')])),
      }),
    ),
    revision: Type.Integer(),
    updatedAt: Type.String(),
    position: Position,
  }),
])

export const productRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const codes = qrCodesFor(ctx.config)
  const product = (productId: string) => found(ctx.readModels.get<ProductDoc>(collections.products, productId), 'product')
  const currentQrUrl = async (productId: string) => {
    const { qr } = await product(productId)
    if (!qr) throw notFound('the product has no QR code yet')
    return qr.url
  }

  const scans = new ScanCache(ctx.config.scanCacheSize)
  const watch = scanWatchOf(ctx)
  const following = new AbortController()
  let follower: Promise<void> | undefined
  app.addHook('onReady', async () => {
    follower = followLog(scans, ctx.rawEventLog, following.signal, error => app.log.error({ err: error }, 'the scan cache lost the log'))
  })
  app.addHook('preClose', async () => {
    following.abort()
    await follower
  })

  // Already serialised: Fastify sends a string with a JSON content type as it is (the cast says so to the type
  // provider, which only knows the schema's object).
  const sendScan = (reply: FastifyReply, json: string): void => {
    reply.type('application/json; charset=utf-8').send(json as never)
  }
  app.get(
    '/products/:qrCode',
    { schema: { params: Type.Object({ qrCode: PathId }), response: { 200: ScanSchema } } },
    async (request, reply) => {
      const { qrCode } = request.params
      const scanner = scannerOf(request)
      const cached = cachedScanJson(scans, qrCode, minPositionOf(request), request.receivedAt)
      // A code the cache holds is signed and issued; counted, it is sent as cached unless it is now flagged.
      const flagged = cached === undefined ? undefined : await watch.count(namedProductId(qrCode), qrCode, scanner)
      if (cached !== undefined && !flagged) return sendScan(reply, cached)
      const json = await scanJson(ctx, codes, scans, qrCode, scanner, flagged)
      if (json === null) throw notFound(UNKNOWN_CODE)
      return sendScan(reply, json)
    },
  )

  app.get('/products/:productId/qr.svg', { schema: { params: ProductParams, response: { 200: NotJson('the current QR code', ['image/svg+xml']) } } }, async (request, reply) => {
    return reply.type('image/svg+xml').send(await renderQrSvg(await currentQrUrl(request.params.productId)))
  })

  app.get('/products/:productId/qr.png', { schema: { params: ProductParams, response: { 200: NotJson('the current QR code', ['image/png']) } } }, async (request, reply) => {
    return reply.type('image/png').send(await renderQrPng(await currentQrUrl(request.params.productId)))
  })

  app.get(
    '/products/:productId/details',
    { schema: { params: ProductParams, response: { 200: DetailsSchema, 304: Type.Null({ description: 'not modified since the ETag given' }) } } },
    async (request, reply) => {
      const doc = await product(request.params.productId)
      setETag(reply, doc.revision)
      if (request.headers['if-none-match'] === toETag(doc.revision)) return reply.code(304).send(null)
      const [qrDoc, people] = await Promise.all([
        doc.qr && ctx.readModels.get<QrCodeDoc>(collections.qrCodes, doc.qr.code),
        peopleOfProduct(ctx, doc),
      ])
      return {
        ...presentProduct(doc, people),
        qr: doc.qr && { ...doc.qr, status: qrDoc?.status ?? null },
        revision: doc.revision,
        updatedAt: doc.updatedAt,
        position: String(doc.position),
      }
    },
  )
}
