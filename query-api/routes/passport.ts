/**
 * GET /products/{productId}/lifecycle (anyone), GET /products/{productId}/passport?view= (each view for its
 * roles; every professional and authority read goes to the access log first), and
 * GET /products/{productId}/access-log (the product's brand, admins).
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext } from '../../app/context.ts'
import { streams } from '../../domain/ids.ts'
import type { ProductEvent } from '../../domain/product/events.ts'
import type { LifecycleEntry } from '../../domain/product/state.ts'
import { readDomainEvents } from '../../eventlog/domainEvents.ts'
import { authUser, requireAuth } from '../../http/auth.ts'
import { collections, type ProductDoc } from '../../readmodels/documents.ts'
import { loadPassport } from '../passport/load.ts'
import { isAccepted, lifecycleItems, passportDataFor, viewerRole, type PassportView } from '../passport/views.ts'
import { forbidden, found, notFound } from '../refusals.ts'
import { Nullable, PageOf, PageQuery, PathId } from '../schemas.ts'
import { presentDetails, DetailsSchema } from '../views/details.ts'
import { Strict } from '../../shared/schemas.ts'

const ProductParams = Type.Object({ productId: PathId })

const LifecycleItemSchema = Type.Object({
  lifecycleId: Type.String(),
  type: Type.String(),
  description: Type.String(),
  occurredAt: Type.String(),
  partner: Type.Object({ userId: Type.String(), displayName: Nullable(Type.String()), role: Type.String() }),
  status: Type.Union([Type.Literal('pending_owner'), Type.Literal('accepted'), Type.Literal('refused')]),
  mediaIds: Type.Array(Type.String()),
  details: Nullable(Type.Record(Type.String(), Type.String())),
})

const Substances = Type.Array(Type.Object({ name: Type.String(), casNumber: Type.Optional(Type.String()), location: Type.Optional(Type.String()) }))
const Compliance = Type.Array(Type.Object({ name: Type.String(), url: Type.String() }))

const PassportViewSchema = Type.Composite([
  DetailsSchema,
  Type.Object({
    view: Type.Union([Type.Literal('public'), Type.Literal('professional'), Type.Literal('authority')]),
    care: Nullable(Type.String()),
    repairInstructions: Type.Optional(Nullable(Type.String())),
    disassembly: Type.Optional(Nullable(Type.String())),
    substancesOfConcern: Type.Optional(Nullable(Substances)),
    lifecycle: Type.Optional(Type.Array(LifecycleItemSchema)),
    compliance: Type.Optional(Nullable(Compliance)),
    legalName: Type.Optional(Nullable(Type.String())),
    address: Type.Optional(Nullable(Type.String())),
  }),
])

const AccessSchema = Type.Object({
  at: Type.String(),
  viewerId: Type.String(),
  role: Type.String(),
  view: Type.String(),
  via: Type.Union([Type.Literal('token'), Type.Literal('key')]),
})

/** What a professional reads of the records: all but those the owner refused. */
const notRefused = (record: LifecycleEntry) => record.status !== 'refused'

export const passportRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/products/:productId/lifecycle',
    {
      // A partner's key shows its own pending and refused records too.
      config: { apiKeyScope: 'lifecycle:write' },
      schema: { params: ProductParams, querystring: Strict({}), response: { 200: Type.Object({ items: Type.Array(LifecycleItemSchema) }) } },
    },
    async request => {
      const passport = await found(loadPassport(ctx, request.params.productId), 'product')
      const callerId = request.auth?.userId
      const isOwner = callerId === passport.state.ownerId
      const shown = (record: LifecycleEntry) =>
        isAccepted(record) || record.partnerId === callerId || (isOwner && record.status === 'pending_owner')
      return { items: await lifecycleItems(ctx, passport, shown) }
    },
  )

  app.get(
    '/products/:productId/passport',
    {
      config: { apiKeyScope: 'passport:read' },
      schema: {
        params: ProductParams,
        querystring: Strict({
          view: Type.Union([Type.Literal('public'), Type.Literal('professional'), Type.Literal('authority')], { default: 'public' }),
        }),
        response: { 200: PassportViewSchema },
      },
    },
    async request => {
      const { productId } = request.params
      const view: PassportView = request.query.view
      const [doc, passport] = await Promise.all([ctx.readModels.get<ProductDoc>(collections.products, productId), loadPassport(ctx, productId)])
      if (!doc || !passport) throw notFound('unknown product')
      const base = { ...(await presentDetails(ctx, doc)), view, ...passportDataFor(view, passport.state.passportData) }
      if (view === 'public') return base
      const caller = authUser(request)
      const role = viewerRole(view, caller, passport.state.brandId)
      if (role === null) throw forbidden(`the ${view} view is above your role`)
      await ctx.accessLog.recordAccess({ productId, at: request.receivedAt, viewerId: caller.userId, role, view, via: caller.via })
      return { ...base, lifecycle: await lifecycleItems(ctx, passport, notRefused) }
    },
  )

  app.get(
    '/products/:productId/access-log',
    { onRequest: requireAuth, schema: { params: ProductParams, querystring: Strict(PageQuery.properties), response: { 200: PageOf(AccessSchema) } } },
    async request => {
      const { productId } = request.params
      const { userId, roles } = authUser(request)
      const [created] = await readDomainEvents<ProductEvent>(ctx.eventLog, streams.product(productId), { maxCount: 1 })
      if (created?.type !== 'ProductCreated') throw notFound('unknown product')
      if (created.data.brandId !== userId && !roles.includes('admin')) throw forbidden('only the product’s brand or an admin reads its access log')
      const { limit, cursor } = request.query
      const page = await ctx.accessLog.accessesOf(productId, cursor === undefined ? { limit } : { limit, cursor })
      return { items: page.items.map(({ at, viewerId, role, view, via }) => ({ at, viewerId, role, view, via })), nextCursor: page.nextCursor }
    },
  )
}
