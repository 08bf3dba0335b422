/** A scanned code, the product's QR images, and its full read model. */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { AppContext } from '../../app/context.ts'
import { setETag, toETag } from '../../http/etag.ts'
import { collections, type ProductDoc, type QrCodeDoc } from '../../readmodels/documents.ts'
import { found, notFound } from '../refusals.ts'
import { NotJson, PathId } from '../schemas.ts'
import { minPositionOf } from '../minPosition.ts'
import { followLogWhileUp, ScanCache } from '../views/scanCache.ts'
import { cachedScanJson, scanJson, ScanSchema, UNKNOWN_CODE } from '../views/product.ts'
import { DetailsSchema, presentDetails } from '../views/details.ts'
import { namedProductId, qrCodesFor } from '../../qr/codes.ts'
import { QrImages } from '../views/qrImages.ts'
import '../scanNotice.ts'
import { scannerOf, scanWatchOf } from '../scans/scanWatch.ts'

const ProductParams = Type.Object({ productId: PathId })


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
  followLogWhileUp(app, scans, ctx.rawEventLog, 'scan cache')

  // Already serialised: Fastify sends a string with a JSON content type as it is (the cast says so to the type
  // provider, which only knows the schema's object).
  const sendScan = (reply: FastifyReply, json: string): void => {
    reply.type('application/json; charset=utf-8').send(json as never)
  }
  const scanAnew = async (request: FastifyRequest, reply: FastifyReply, qrCode: string, flagged: boolean | undefined) => {
    const json = await scanJson(ctx, codes, scans, qrCode, scannerOf(request), productId => app.noteScanWhileReported(request, productId), flagged)
    if (json === null) throw notFound(UNKNOWN_CODE)
    sendScan(reply, json)
  }
  // Not an async handler: a warm scan whose count needs no look-up is answered at once, without a promise.
  app.get(
    '/products/:qrCode',
    { schema: { params: Type.Object({ qrCode: PathId }), response: { 200: ScanSchema } } },
    (request, reply) => {
      const { qrCode } = request.params
      const cached = cachedScanJson(scans, qrCode, minPositionOf(request), request.receivedAt)
      if (cached === undefined) return scanAnew(request, reply, qrCode, undefined)
      // A code the cache holds is signed and issued; counted, it is sent as cached unless it is now flagged.
      const flagged = watch.count(namedProductId(qrCode), qrCode, scannerOf(request))
      if (flagged === false) return sendScan(reply, cached)
      if (flagged === true) return scanAnew(request, reply, qrCode, true)
      return flagged.then(now => (now ? scanAnew(request, reply, qrCode, true) : sendScan(reply, cached)))
    },
  )

  const qrImages = new QrImages()
  for (const [format, contentType] of [['svg', 'image/svg+xml'], ['png', 'image/png']] as const) {
    app.get(
      `/products/:productId/qr.${format}`,
      {
        config: { rateLimit: app.costlyRateLimit },
        schema: {
          params: ProductParams,
          headers: Type.Object({ 'if-none-match': Type.Optional(Type.String()) }),
          response: { 200: NotJson('the current QR code', [contentType]), 304: Type.Null({ description: 'the code is the one of the ETag given' }) },
        },
      },
      async (request, reply) => qrImages.send(request, reply, format, await currentQrUrl(request.params.productId)),
    )
  }

  app.get(
    '/products/:productId/details',
    { schema: { params: ProductParams, response: { 200: DetailsSchema, 304: Type.Null({ description: 'not modified since the ETag given' }) } } },
    async (request, reply) => {
      const doc = await product(request.params.productId)
      setETag(reply, doc.revision)
      if (request.headers['if-none-match'] === toETag(doc.revision)) return reply.code(304).send(null)
      return presentDetails(ctx, doc)
    },
  )
}
