/** Price suggestions, the active listings, one listing, and a transaction for its parties. */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext } from '../../app/context.ts'
import { streams } from '../../domain/ids.ts'
import { suggestPriceFor } from '../../domain/resale/pricing.ts'
import { authUser, requireAuth } from '../../http/auth.ts'
import { HttpProblem } from '../../http/problem.ts'
import { collections, type ListingDoc, type TransactionDoc } from '../../readmodels/documents.ts'
import type { Condition as FieldCondition } from '../../readmodels/port.ts'
import { foldProduct } from '../../shared/foldProduct.ts'
import { forbidden, found, notFound } from '../refusals.ts'
import { Condition, Money, Nullable, PageOf, PageQuery, PathId } from '../schemas.ts'

const SuggestionSchema = Type.Object({
  suggested: Money,
  low: Money,
  high: Money,
  factors: Type.Array(Type.Object({ name: Type.String(), effect: Type.Number() })),
})

const ListingSchema = Type.Object({
  listingId: Type.String(),
  productId: Type.String(),
  productName: Type.String(),
  brandName: Type.String(),
  price: Money,
  condition: Condition,
  description: Nullable(Type.String()),
  suggestedPrice: Nullable(Money),
  status: Type.Union([Type.Literal('active'), Type.Literal('reserved'), Type.Literal('sold'), Type.Literal('withdrawn')]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
})

const TransactionSchema = Type.Object({
  transactionId: Type.String(),
  listingId: Type.String(),
  productId: Type.String(),
  buyerId: Type.String(),
  sellerId: Type.String(),
  price: Money,
  status: Type.Union([Type.Literal('pending_payment'), Type.Literal('completed'), Type.Literal('cancelled'), Type.Literal('expired')]),
  createdAt: Type.String(),
  expiresAt: Type.String(),
  completedAt: Nullable(Type.String()),
  cancelledAt: Nullable(Type.String()),
})

const ListingSort = Type.Union([Type.Literal('price'), Type.Literal('-price'), Type.Literal('-createdAt')], { default: '-createdAt' })
const sortFields = { price: 'price.amount', '-price': '-price.amount', '-createdAt': '-createdAt' } as const

const ListingQuery = Type.Composite([
  PageQuery,
  Type.Object({
    brand: Type.Optional(Type.String({ minLength: 1 })),
    condition: Type.Optional(Condition),
    minPrice: Type.Optional(Type.Integer({ minimum: 0, description: 'minor units' })),
    maxPrice: Type.Optional(Type.Integer({ minimum: 0, description: 'minor units' })),
    sort: ListingSort,
  }),
])

// A listing shows its terms, not who sells: the seller's identity follows their owner consent (see /ownership).
const presentListing = (listing: ListingDoc) => ({
  listingId: listing.listingId,
  productId: listing.productId,
  productName: listing.productName,
  brandName: listing.brandName,
  price: listing.price,
  condition: listing.condition,
  description: listing.description ?? null,
  suggestedPrice: listing.suggestedPrice,
  status: listing.status,
  createdAt: listing.createdAt,
  updatedAt: listing.updatedAt,
})

// For its parties and admins only, so it names them.
const presentTransaction = (transaction: TransactionDoc) => ({
  transactionId: transaction.transactionId,
  listingId: transaction.listingId,
  productId: transaction.productId,
  buyerId: transaction.buyerId,
  sellerId: transaction.sellerId,
  price: transaction.price,
  status: transaction.status,
  createdAt: transaction.createdAt,
  expiresAt: transaction.expiresAt,
  completedAt: transaction.completedAt,
  cancelledAt: transaction.cancelledAt,
})

export const resaleRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/resale/price-suggestion',
    {
      schema: {
        querystring: Type.Object({ productId: PathId, condition: Condition }),
        response: { 200: SuggestionSchema },
      },
    },
    async request => {
      const { productId, condition } = request.query
      const state = foldProduct(await ctx.eventLog.readStream(streams.product(productId)))
      if (!state.exists) throw notFound('unknown product')
      const suggestion = suggestPriceFor(state, condition, ctx.clock().toISOString())
      if (!suggestion) throw new HttpProblem(422, 'Unprocessable Content', 'the product has no original price to suggest a resale price from')
      const { suggested, low, high, factors } = suggestion
      return { suggested, low, high, factors }
    },
  )

  app.get('/resale/listings', { schema: { querystring: ListingQuery, response: { 200: PageOf(ListingSchema) } } }, async request => {
    const { brand, condition, minPrice, maxPrice, sort, limit, cursor } = request.query
    const where: Record<string, FieldCondition> = { status: 'active' }
    if (brand !== undefined) where.brandName = brand
    if (condition !== undefined) where.condition = condition
    if (minPrice !== undefined || maxPrice !== undefined) {
      where['price.amount'] = { ...(minPrice !== undefined && { gte: minPrice }), ...(maxPrice !== undefined && { lte: maxPrice }) }
    }
    const page = await ctx.readModels.find<ListingDoc>(collections.listings, { where, sort: sortFields[sort], limit, cursor })
    return { items: page.items.map(presentListing), nextCursor: page.nextCursor }
  })

  app.get(
    '/resale/listings/:listingId',
    { schema: { params: Type.Object({ listingId: PathId }), response: { 200: ListingSchema } } },
    async request => presentListing(await found(ctx.readModels.get<ListingDoc>(collections.listings, request.params.listingId), 'listing')),
  )

  app.get(
    '/resale/transactions/:transactionId',
    { onRequest: requireAuth, schema: { params: Type.Object({ transactionId: PathId }), response: { 200: TransactionSchema } } },
    async request => {
      const caller = authUser(request)
      const transaction = await found(ctx.readModels.get<TransactionDoc>(collections.transactions, request.params.transactionId), 'transaction')
      const party = caller.userId === transaction.buyerId || caller.userId === transaction.sellerId
      if (!party && !caller.roles.includes('admin')) throw forbidden('only its buyer, its seller or an admin sees a transaction')
      return presentTransaction(transaction)
    },
  )
}
