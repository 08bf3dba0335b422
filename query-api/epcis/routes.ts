/**
 * The EPCIS 2.0 query interface (its REST binding): GET /epcis/events answers a simple event query with an
 * EPCISQueryDocument (application/ld+json), read straight from the log, paged by `Link: <…>; rel="next"`; GET
 * /epcis/events/{eventID} gives one event. An item's events are public (`MATCH_epc` with its Digital Link URI);
 * without it a brand reads its own products' events, an authority or admin everyone's.
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import type { AppContext } from '../../app/context.ts'
import type { ProductEvent } from '../../domain/product/events.ts'
import { toDomainEvent } from '../../eventlog/domainEvents.ts'
import type { RecordedEvent } from '../../eventlog/port.ts'
import { authUser } from '../../http/auth.ts'
import { Problem } from '../../http/docs.ts'
import { collections, type ProductDoc } from '../../readmodels/documents.ts'
import { invalid, parseInstant } from '../../shared/positions.ts'
import { afterPositionCursor, positionCursor } from '../cursors.ts'
import { forbidden, notFound } from '../refusals.ts'
import { Instant, NotJson } from '../schemas.ts'
import { issuedProduct } from '../views/product.ts'
import { parseGtinLink } from '../resolver/digitalLink.ts'
import { EPCIS_CONTEXT, MAPPED_TYPES, partiesOfItem, toEpcisEvent, type EpcisEvent } from './mapping.ts'

const EVENT_TYPES = ['ObjectEvent', 'AggregationEvent', 'TransactionEvent', 'TransformationEvent', 'AssociationEvent']
const READS_EVERYONES: readonly string[] = ['admin', 'authority']
const PRODUCT_STREAM = 'product-'
const DEFAULT_PER_PAGE = 30
/** The most log events one request reads: a page may come back short, with a nextPageToken to go on from. */
const SCAN_BUDGET = 10_000
const LD_JSON = 'application/ld+json'
const VERSIONS = { 'gs1-epcis-version': '2.0.0', 'gs1-cbv-version': '2.0.0' }

const EventsQuery = Type.Object(
  {
    MATCH_epc: Type.Optional(Type.String({ minLength: 1, maxLength: 512, description: "the item's GS1 Digital Link URI (any host), or urn:ptvem:product:{productId}" })),
    EQ_bizStep: Type.Optional(Type.String({ minLength: 1, description: 'CBV business steps, `|`-separated: `commissioning` or its URI' })),
    EQ_type: Type.Optional(Type.String({ minLength: 1, description: 'event types, `|`-separated' })),
    GE_eventTime: Type.Optional(Instant('events at or after this time')),
    LT_eventTime: Type.Optional(Instant('events before this time')),
    GE_recordTime: Type.Optional(Instant('events recorded at or after this time')),
    perPage: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: DEFAULT_PER_PAGE })),
    nextPageToken: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
)
type EventsQuery = typeof EventsQuery.static

const listOf = (value: string | undefined) => value?.split(/[|,]/).map(part => part.trim())

/** A CBV business step as the events write it: `commissioning` for its URI or its URN too. */
const bareBizStep = (step: string) => step.replace(/^https:\/\/ref\.gs1\.org\/cbv\/BizStep-|^urn:epcglobal:cbv:bizstep:/, '')

const PRODUCT_URN = 'urn:ptvem:product:'

/** The product an EPC names: a Digital Link URI of an issued item, or our URN of a product without a GTIN. */
async function productOfEpc(ctx: AppContext, epc: string): Promise<ProductDoc | null> {
  if (epc.startsWith(PRODUCT_URN)) return ctx.readModels.get<ProductDoc>(collections.products, decodeURIComponent(epc.slice(PRODUCT_URN.length)))
  let path: string
  try {
    path = new URL(epc).pathname
  } catch {
    throw invalid('/querystring/MATCH_epc', 'must be a GS1 Digital Link URI or urn:ptvem:product:{productId}')
  }
  const parsed = parseGtinLink(path)
  if ('errors' in parsed || parsed.link.serial === undefined) throw invalid('/querystring/MATCH_epc', 'must be the Digital Link URI of a serialised item, /01/{gtin}/21/{serial}')
  return issuedProduct(ctx, parsed.link.gtin14, parsed.link.serial)
}

/** Which products' events the caller reads without naming one: their brand's, or everyone's. */
function readableWithoutEpc(request: FastifyRequest): (product: ProductDoc) => boolean {
  const user = authUser(request)
  if (user.roles.some(role => READS_EVERYONES.includes(role))) return () => true
  if (user.roles.includes('brand')) return product => product.brand.brandId === user.userId
  throw forbidden('MATCH_epc is required: only a brand (for its own products), an authority or an admin query without naming an item')
}

export const epcisRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  /** Each log event with its EPCIS event: null for one that is none, or of a product the caller may not read. */
  async function* epcisEvents(events: AsyncIterable<RecordedEvent> | RecordedEvent[], readable: (product: ProductDoc) => boolean) {
    const products = new Map<string, Promise<ProductDoc | null>>()
    const productOf = (productId: string) => {
      if (!products.has(productId)) products.set(productId, ctx.readModels.get<ProductDoc>(collections.products, productId))
      return products.get(productId)!
    }
    for await (const recorded of events) {
      const mapped = recorded.streamId.startsWith(PRODUCT_STREAM) && MAPPED_TYPES.includes(recorded.type as ProductEvent['type'])
      const product = mapped ? await productOf(recorded.streamId.slice(PRODUCT_STREAM.length)) : null
      const event = product && readable(product) ? await toEpcisEvent(toDomainEvent<ProductEvent>(recorded), product, partiesOfItem(ctx.keys, product.productId)) : null
      yield { position: recorded.position, event }
    }
  }

  function matcher(query: EventsQuery): (event: EpcisEvent) => boolean {
    const steps = listOf(query.EQ_bizStep)?.map(bareBizStep)
    const types = listOf(query.EQ_type)
    if (types?.some(type => !EVENT_TYPES.includes(type))) throw invalid('/querystring/EQ_type', `must be among ${EVENT_TYPES.join(', ')}`)
    const time = (value: string | undefined, name: string, otherwise: number) => (value === undefined ? otherwise : parseInstant(value, `/querystring/${name}`))
    const [fromEvent, untilEvent, fromRecord] = [time(query.GE_eventTime, 'GE_eventTime', -Infinity), time(query.LT_eventTime, 'LT_eventTime', Infinity), time(query.GE_recordTime, 'GE_recordTime', -Infinity)]
    return event => {
      const [eventTime, recordTime] = [Date.parse(event.eventTime as string), Date.parse(event.recordTime)]
      return (
        (steps === undefined || steps.includes(bareBizStep(String(event.bizStep ?? '')))) &&
        (types === undefined || types.includes(event.type)) &&
        eventTime >= fromEvent && eventTime < untilEvent && recordTime >= fromRecord
      )
    }
  }

  const ldJson = { 200: NotJson('an EPCISQueryDocument (EPCIS 2.0 JSON-LD)', [LD_JSON]), 400: NotJson('bad query', [], { 'application/problem+json': Problem }) }

  app.get('/epcis/events', { schema: { querystring: EventsQuery, response: ldJson } }, async (request, reply) => {
    const { query } = request
    const matches = matcher(query)
    const after = afterPositionCursor(query.nextPageToken)
    const perPage = query.perPage ?? DEFAULT_PER_PAGE
    let source: AsyncIterable<RecordedEvent> | RecordedEvent[]
    let readable: (product: ProductDoc) => boolean = () => true
    if (query.MATCH_epc !== undefined) {
      const product = await productOfEpc(ctx, query.MATCH_epc)
      source = product ? (await ctx.eventLog.readStream(`${PRODUCT_STREAM}${product.productId}`)).filter(event => event.position > after) : []
    } else {
      readable = readableWithoutEpc(request)
      source = ctx.eventLog.readAll({ after })
    }

    const page: { position: number; event: EpcisEvent }[] = []
    let scanned = 0
    let resumeAfter: number | null = null
    for await (const { position, event } of epcisEvents(source, readable)) {
      if (event && matches(event)) {
        if (page.length === perPage) {
          resumeAfter = page.at(-1)!.position
          break
        }
        page.push({ position, event })
      }
      if (++scanned === SCAN_BUDGET) {
        resumeAfter = position
        break
      }
    }
    if (resumeAfter !== null) {
      const next = new URLSearchParams({ ...stringified(query), nextPageToken: positionCursor(resumeAfter) })
      reply.header('link', `<${ctx.config.publicBaseUrl}/api/epcis/events?${next}>; rel="next"`)
    }
    const document = {
      '@context': [EPCIS_CONTEXT],
      type: 'EPCISQueryDocument',
      schemaVersion: '2.0',
      creationDate: ctx.clock().toISOString(),
      epcisBody: { queryResults: { queryName: 'SimpleEventQuery', resultsBody: { eventList: page.map(({ event }) => event) } } },
    }
    return reply.headers(VERSIONS).type(LD_JSON).send(JSON.stringify(document))
  })

  app.get(
    '/epcis/events/:eventID',
    { schema: { params: Type.Object({ eventID: Type.String({ minLength: 1, maxLength: 200, description: 'the event hash, ni:///sha-256;…?ver=CBV2.0, URL-encoded' }) }), response: { 200: NotJson('one EPCIS 2.0 event (JSON-LD)', [LD_JSON]) } } },
    async (request, reply) => {
      const { eventID } = request.params
      for await (const { event } of epcisEvents(ctx.eventLog.readAll({ after: 0 }), () => true)) {
        if (event?.eventID === eventID) return reply.headers(VERSIONS).type(LD_JSON).send(JSON.stringify({ '@context': [EPCIS_CONTEXT], ...event }))
      }
      throw notFound(`no EPCIS event ${eventID}`)
    },
  )
}

const stringified = (query: EventsQuery): Record<string, string> =>
  Object.fromEntries(Object.entries(query).filter(([name, value]) => name !== 'nextPageToken' && value !== undefined).map(([name, value]) => [name, String(value)]))
