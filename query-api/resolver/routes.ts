/**
 * A GS1-conformant resolver (GS1-Conformant Resolver 1.1 over GS1 Digital Link 1.2) for the Digital Link URIs
 * the app mints: `/01/{gtin}[/22/{cpv}][/10/{lot}][/21/{serial}]`. A browser is sent (307) to the default link,
 * the passport page, with the query string passed on, so the label's `?q=` reaches the page that checks it;
 * `?linkType=` picks another link (`gs1:instructions`, the care text, only when the brand gave one); the linkset comes for `Accept: application/linkset+json` or
 * `?linkType=linkset` (or the older `all`); `Accept: application/json` on an item gives its scan JSON. A path of
 * an issued GTIN without a serial number (the model, a lot of it) walks up to the model's page.
 * `/.well-known/gs1resolver` describes the resolver. Every answer allows any origin (CORS).
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { AppContext } from '../../app/context.ts'
import { streams } from '../../domain/ids.ts'
import { foldProduct } from '../../shared/foldProduct.ts'
import { HttpProblem } from '../../http/problem.ts'
import { Problem } from '../../http/docs.ts'
import { qrCodesFor } from '../../qr/codes.ts'
import { minPositionHook } from '../minPosition.ts'
import { notFound } from '../refusals.ts'
import { NotJson } from '../schemas.ts'
import { CSP, wantsJson } from '../page/routes.ts'
import { renderUnknownCodePage } from '../page/render.ts'
import { issuedProduct, presentScan, scanLink, ScanSchema, UNKNOWN_CODE } from '../views/product.ts'
import { scannerOf } from '../scans/scanWatch.ts'
import { modelPage } from './modelPage.ts'
import { parseGtinLink, type GtinLink } from './digitalLink.ts'
import { GS1_VOC, linksetOf, linkTypeTerm, resolvedItem, resolvedModel, type Resolved } from './linkset.ts'

export const LINKSET_TYPE = 'application/linkset+json'
const LINKSET_CONTEXT = 'https://ref.gs1.org/standards/resolver/linkset-context'
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, HEAD, OPTIONS',
  'access-control-allow-headers': 'Accept, Accept-Language',
  'access-control-expose-headers': 'Link, Location, Vary',
}

/** The resolver description file of GS1-Conformant Resolver 1.1 (its schema: ref.gs1.org/standards/resolver/description-file-schema). */
const ResolverDescription = Type.Object({
  name: Type.String(),
  resolverRoot: Type.String(),
  supportedPrimaryKeys: Type.Array(Type.String()),
  supportedLinkType: Type.Array(Type.Object({ namespace: Type.String(), prefix: Type.String() })),
  linkTypeDefaultCanBeLinkset: Type.Boolean(),
})

const ResolverQuery = Type.Object(
  {
    linkType: Type.Optional(Type.String({ description: 'a GS1 link type (`gs1:pip`, or its URI), or `linkset` for every link (`all`, its older name)' })),
    q: Type.Optional(Type.String({ description: "the label's signed QR code, passed on to the page that checks it" })),
  },
  // A resolver passes every other key=value pair of the query string on when it redirects.
  { additionalProperties: true },
)

const ResolverResponses = {
  200: NotJson('the linkset (RFC 9264), or for `Accept: application/json` on an item its scan JSON', [LINKSET_TYPE], { 'application/json': ScanSchema }),
  307: { description: 'to the default link (the passport page) or the link of the requested type, the query string passed on' },
  400: NotJson('not a GS1 Digital Link URI', [], { 'application/problem+json': Problem }),
  404: NotJson('an item we never issued (a page saying so for a browser), or no link of the requested type', ['text/html'], { 'application/problem+json': Problem }),
}

/** Whether the client asks for the linkset (RFC 9264's media type) before anything else it accepts. */
const wantsLinkset = (accept = '') => {
  const linkset = accept.indexOf(LINKSET_TYPE)
  return linkset >= 0 && ['application/json', 'text/html'].every(type => !accept.includes(type) || linkset < accept.indexOf(type))
}

/** The Link header that points at the linkset of the Digital Link URI `path`. */
/** A Link target is a URI: the characters a serial may carry unencoded in a path but a header cannot (`"`, `<`, `>`) are percent-encoded. */
const linksetLink = (base: string, path: string) =>
  `<${base}${path.replace(/\/$/, '').replace(/["<>]/g, char => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)}?linkType=linkset>; rel="linkset"; type="${LINKSET_TYPE}"`

const splitUrl = (url: string): [path: string, query: string] => {
  const at = url.indexOf('?')
  return at < 0 ? [url, ''] : [url.slice(0, at), url.slice(at + 1)]
}

/** The request's query string without the resolver's own `linkType`, appended to a link's target. */
function passedOn(href: string, query: string): string {
  const kept = query.split('&').filter(pair => pair !== '' && !pair.startsWith('linkType='))
  return kept.length === 0 ? href : `${href}${href.includes('?') ? '&' : '?'}${kept.join('&')}`
}

export const resolverRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const base = ctx.config.publicBaseUrl
  const codes = qrCodesFor(ctx.config)
  app.addHook('onRequest', minPositionHook(ctx))
  app.addHook('onSend', async (_request, reply) => {
    reply.headers(CORS)
  })

  async function resolved({ gtin14, serial }: GtinLink): Promise<Resolved | null> {
    const product = await issuedProduct(ctx, gtin14, serial)
    if (!product) return null
    if (serial === undefined) return resolvedModel(base, product)
    const { passportData } = foldProduct(await ctx.eventLog.readStream(streams.product(product.productId)))
    return resolvedItem(base, product, { hasCare: Boolean(passportData.care) })
  }

  async function resolve(request: FastifyRequest<{ Querystring: { linkType?: string; q?: string } }>, reply: FastifyReply) {
    const [path, query] = splitUrl(request.url)
    const parsed = parseGtinLink(path)
    if ('errors' in parsed) throw new HttpProblem(400, 'Bad Request', `not a GS1 Digital Link URI: ${parsed.errors[0]!.message}`, parsed.errors)
    reply.header('vary', 'accept').header('link', linksetLink(base, path))

    const target = await resolved(parsed.link)
    const { linkType, q } = request.query
    const { accept } = request.headers
    if (!target) {
      if (wantsJson(accept) || linkType !== undefined) throw notFound(UNKNOWN_CODE)
      return reply.code(404).header('content-security-policy', CSP).type('text/html; charset=utf-8').send(String(renderUnknownCodePage()))
    }
    if (linkType === 'linkset' || linkType === 'all' || (linkType === undefined && wantsLinkset(accept))) {
      return reply
        .type(LINKSET_TYPE)
        .header('link', `<${LINKSET_CONTEXT}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`)
        .send(JSON.stringify(linksetOf(target)))
    }
    if (linkType === undefined && target.item && wantsJson(accept)) {
      const { gtin, serialNumber } = target.item
      const scanned = await scanLink(ctx, codes, { gtin, serialNumber, q }, scannerOf(request))
      if (!scanned) throw notFound(UNKNOWN_CODE)
      return reply.type('application/json').send(presentScan(scanned, ctx.clock().toISOString()))
    }
    const term = linkType === undefined ? 'defaultLink' : linkTypeTerm(linkType)
    const link = term === null ? undefined : target.links[term]?.[0]
    if (!link) throw notFound(`${target.anchor} has no link of type ${linkType}`)
    return reply.code(307).header('location', passedOn(link.href, query)).send()
  }

  const schema = { querystring: ResolverQuery, response: ResolverResponses }
  app.get('/01/:gtin', { schema: { ...schema, params: Type.Object({ gtin: Type.String() }) } }, resolve)
  app.get('/01/:gtin/10/:lot', { schema: { ...schema, params: Type.Object({ gtin: Type.String(), lot: Type.String() }) } }, resolve)
  app.get('/01/:gtin/21/:serial', { schema: { ...schema, params: Type.Object({ gtin: Type.String(), serial: Type.String() }) } }, resolve)
  // Every other shape, valid (a CPV, a lot and a serial number, a trailing slash) or not (a 400).
  app.get('/01/*', { schema: { ...schema, hide: true } }, resolve)
  app.options('/01/*', { schema: { hide: true } }, async (request, reply) => {
    const [path] = splitUrl(request.url)
    if (!('errors' in parseGtinLink(path))) reply.header('link', linksetLink(base, path))
    return reply.code(204).send()
  })

  app.get('/.well-known/gs1resolver', { schema: { response: { 200: ResolverDescription } } }, async () => ({
    name: 'PTVEM digital product passports',
    resolverRoot: base,
    supportedPrimaryKeys: ['01'],
    supportedLinkType: [{ namespace: GS1_VOC, prefix: 'gs1:' }],
    linkTypeDefaultCanBeLinkset: false,
  }))
  app.options('/.well-known/gs1resolver', { schema: { hide: true } }, async (_request, reply) => reply.code(204).send())
  await app.register(modelPage, { ctx })
}
