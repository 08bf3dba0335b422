/**
 * What a phone opens after scanning: GET /p/{qrCode}, and GET /p/{gtin}/{serial}[?q={qrCode}], where the resolver
 * sends a scanned GS1 Digital Link (query-api/resolver/). HTML, or with `Accept: application/json` the JSON of
 * GET /api/products/{qrCode}. A code we never issued (forged, altered, for another product) is a 404; a link
 * without a valid code shows the product it names, `unverified`: only the signed code on the label proves it.
 */
import { createHash } from 'node:crypto'
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { AppContext } from '../../app/context.ts'
import { loadPassport } from '../passport/load.ts'
import { presentOwners } from '../passport/owners.ts'
import { presentWithProvenance } from '../passport/provenance.ts'
import { isAccepted, lifecycleItems } from '../passport/views.ts'
import { Problem } from '../../http/docs.ts'
import { minPositionHook } from '../minPosition.ts'
import { notFound } from '../refusals.ts'
import { NotJson, PathId } from '../schemas.ts'
import { ownerPeriodsOf, presentScan, scan, scanLink, ScanSchema, UNKNOWN_CODE, type Scan } from '../views/product.ts'
import { scannerOf } from '../scans/scanWatch.ts'
import { presentStory, readableStories } from '../views/stories.ts'
import { renderPassportPage, renderUnknownCodePage, STYLE } from './render.ts'
import { qrCodesFor } from '../../qr/codes.ts'
import '../scanNotice.ts'

const STORIES_SHOWN = 100
const EVENTS_SHOWN = 50
// No script may run on this page whatever a story holds, and no style but its own; photos may come from the media
// store's signed URLs.
const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`
export const CSP = `default-src 'none'; img-src 'self' https:; style-src ${STYLE_HASH}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`

/** Whether the client asks for JSON rather than HTML (a browser's Accept lists text/html first). */
export const wantsJson = (accept = '') => {
  const json = accept.indexOf('application/json')
  const page = accept.indexOf('text/html')
  return json >= 0 && (page < 0 || json < page)
}

// HTML for a browser, the JSON of GET /api/products/{qrCode} for `Accept: application/json`.
const PageResponses = {
  200: NotJson('the product page', ['text/html'], { 'application/json': ScanSchema }),
  404: NotJson('a code never issued: a page saying so, or problem details', ['text/html'], { 'application/problem+json': Problem }),
}

// The page's icon (browsers ask for one; without it every scan logs a 404 in the console).
const ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#145c2c"/><path d="M9 16.5l4.5 4.5L23 11.5" fill="none" stroke="#fff" stroke-width="3.5" stroke-linecap="round" stroke-linejoin="round"/></svg>'

export const publicPages: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get('/favicon.svg', { schema: { response: { 200: NotJson('the icon of the product page', ['image/svg+xml']) } } }, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=86400').type('image/svg+xml').send(ICON),
  )

  const codes = qrCodesFor(ctx.config)
  app.addHook('onRequest', minPositionHook(ctx))

  async function pageData(scanned: Scan) {
    const { product, people } = scanned
    const [stories, passport, periods] = await Promise.all([
      readableStories(ctx, product.productId, null, { limit: STORIES_SHOWN }),
      loadPassport(ctx, product.productId),
      ownerPeriodsOf(ctx, product.productId),
    ])
    return {
      product: presentScan(scanned, ctx.clock().toISOString()),
      owners: presentOwners(periods, people),
      stories: stories.items.map(story => presentStory(story, people)),
      history: passport ? (await presentWithProvenance(ctx, passport)).slice(-EVENTS_SHOWN).reverse() : [],
      lifecycle: passport ? await lifecycleItems(ctx, passport, isAccepted) : [],
      care: passport?.state.passportData.care ?? null,
    }
  }

  async function answer(request: FastifyRequest, reply: FastifyReply, scanned: Scan | null) {
    reply.header('vary', 'accept')
    if (scanned?.product.alert) app.noteScanWhileReported(request, scanned.product.productId)
    if (wantsJson(request.headers.accept)) {
      if (!scanned) throw notFound(UNKNOWN_CODE)
      return reply.type('application/json').send(presentScan(scanned, ctx.clock().toISOString()))
    }
    reply.header('content-security-policy', CSP).type('text/html; charset=utf-8')
    if (!scanned) return reply.code(404).send(String(renderUnknownCodePage()))
    return reply.send(String(renderPassportPage(await pageData(scanned))))
  }

  app.get('/p/:qrCode', { schema: { params: Type.Object({ qrCode: PathId }), response: PageResponses } }, async (request, reply) =>
    answer(request, reply, await scan(ctx, codes, request.params.qrCode, scannerOf(request))),
  )

  app.get(
    '/p/:gtin/:serial',
    {
      schema: {
        params: Type.Object({ gtin: Type.String({ pattern: '^[0-9]{8,14}$' }), serial: PathId }),
        querystring: Type.Object(
          { q: Type.Optional(Type.String({ description: 'the signed QR code; without a valid one, the product the link names, unverified' })) },
          // The resolver passes on the rest of a scanned link's query string.
          { additionalProperties: true },
        ),
        response: PageResponses,
      },
    },
    async (request, reply) => {
      const { gtin, serial } = request.params
      return answer(request, reply, await scanLink(ctx, codes, { gtin, serialNumber: serial, q: request.query.q }, scannerOf(request)))
    },
  )
}
