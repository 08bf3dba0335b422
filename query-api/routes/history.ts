/**
 * GET /products/{productId}/history: the passport straight from the event log, in public form, optionally as of a
 * time, whole or a page of it. `ETag` is the stream's revision, also with `at`: the same events and the same time
 * give the same answer. A page runs newest first, from the event before `before` (a revision), `limit` of the
 * product's own events long. Histories are kept as the log leaves them (historyCache.ts), and a request is answered
 * from the cache only once the cache has followed the log up to its head (one look-up of the head): what was
 * appended before the request is in its answer, whichever process appended it.
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import type { AppContext } from '../../app/context.ts'
import { foldProduct } from '../../shared/foldProduct.ts'
import { presentState } from '../passport/publicState.ts'
import { parseInstant } from '../../shared/positions.ts'
import { found } from '../refusals.ts'
import { HttpProblem } from '../../http/problem.ts'
import { PublicEventSchema, PublicStateSchema } from '../passport/schemas.ts'
import type { PublicEvent } from '../passport/publicEvent.ts'
import { Instant, Nullable, PathId } from '../schemas.ts'
import { followLogWhileUp } from '../views/scanCache.ts'
import { HistoryCache, type PublicHistory } from './historyCache.ts'

/** Products whose public history is kept in memory. */
const CACHED_HISTORIES = 256

const HistoryResponse = Type.Object({
  productId: Type.String(),
  revision: Type.Integer(),
  events: Type.Array(PublicEventSchema),
  at: Type.Optional(Type.String()),
  state: Type.Optional(Nullable(PublicStateSchema)),
})

const HistoryQuery = Type.Object({
  at: Type.Optional(Instant('ISO-8601 time: the state as of then')),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'a page of at most this many events, newest first' })),
  before: Type.Optional(
    Type.Integer({
      minimum: 1,
      description: 'with limit: the page starts at the event before this revision (the next link gives it); at most the revision + 1, else 400',
    }),
  ),
})

const etagOf = (revision: number) => `"${revision}"`

const matches = (ifNoneMatch: string | undefined, etag: string): boolean =>
  ifNoneMatch !== undefined && ifNoneMatch.split(',').some(tag => ['*', etag, `W/${etag}`].includes(tag.trim()))

/** The whole default answer, serialised and encoded once per cached history. */
const serialised = new WeakMap<PublicHistory, Buffer>()
const wholeJson = (history: PublicHistory): Buffer => {
  let json = serialised.get(history)
  if (json === undefined) {
    const { productId, revision } = history.passport
    serialised.set(history, (json = Buffer.from(JSON.stringify({ productId, revision, events: history.events }))))
  }
  return json
}

const nextLink = (request: FastifyRequest, limit: number, before: number): string => {
  const [path, search = ''] = request.url.split('?')
  const query = new URLSearchParams(search)
  query.set('limit', String(limit))
  query.set('before', String(before))
  return `<${path}?${query}>; rel="next"`
}

export const historyRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const histories = new HistoryCache(ctx, CACHED_HISTORIES)
  followLogWhileUp(app, histories, ctx.rawEventLog, 'history cache')
  app.get(
    '/products/:productId/history',
    {
      config: { rateLimit: app.costlyRateLimit },
      schema: {
        params: Type.Object({ productId: PathId }),
        querystring: HistoryQuery,
        response: { 200: HistoryResponse, 304: Type.Null({ description: 'If-None-Match named the current ETag' }) },
      },
    },
    async (request, reply) => {
      const { productId } = request.params
      const { at, limit, before } = request.query
      const until = at === undefined ? undefined : parseInstant(at, '/querystring/at')
      if (before !== undefined && limit === undefined) throw new HttpProblem(400, 'Bad Request', 'before pages: it needs limit')
      const history = await found(histories.load(productId, await ctx.rawEventLog.headPosition()), 'product')
      const { passport } = history
      if (before !== undefined && before > passport.revision + 1) {
        throw new HttpProblem(400, 'Bad Request', `before ${before} is past the product's newest revision, ${passport.revision}`)
      }
      const etag = etagOf(passport.revision)
      reply.header('etag', etag)
      if (matches(request.headers['if-none-match'], etag)) return reply.code(304).send(null)
      if (until === undefined && limit === undefined) return reply.type('application/json; charset=utf-8').send(wholeJson(history) as never)

      const recorded = until === undefined ? passport.events : passport.events.filter(event => Date.parse(event.metadata.occurredAt) <= until)
      const revision = recorded.at(-1)?.revision ?? -1
      const shown = until === undefined ? history.events : history.events.filter(event => Date.parse(event.occurredAt) <= until)
      const asOf = until === undefined ? {} : { at: new Date(until).toISOString(), state: presentOf(passport, recorded) }
      if (limit === undefined) return { productId, revision, events: shown, ...asOf }

      const { page, next } = pageOf(shown, limit, before)
      if (next !== undefined) reply.header('link', nextLink(request, limit, next))
      return { productId, revision, events: page, ...asOf }
    },
  )
}

/**
 * A page of `limit` of the product's own events, newest first, from the one before revision `before`. Revisions have
 * gaps where an event is not shown. The brand's verifications shown among them (source "brand") come with the
 * page of the product's next own event, or with the newest page; `next` is the `before` of the page after.
 */
function pageOf(shown: PublicEvent[], limit: number, before: number | undefined): { page: PublicEvent[]; next?: number } {
  const own = shown.flatMap((event, index) => (event.source === 'brand' ? [] : [index]))
  const end = before === undefined ? own.length : own.filter(index => shown[index]!.revision < before).length
  const start = Math.max(0, end - limit)
  const from = start === 0 ? 0 : own[start - 1]! + 1
  const to = end === own.length ? shown.length : end === 0 ? 0 : own[end - 1]! + 1
  return { page: shown.slice(from, to).reverse(), next: start > 0 ? shown[own[start]!]!.revision : undefined }
}

/** The product as of its events up to some time, with today's consent. */
const presentOf = (passport: PublicHistory['passport'], events: PublicHistory['passport']['events']) => {
  const state = foldProduct(events)
  return state.exists ? presentState(state, passport) : null
}
