/** A product's owners (per consent) and a user's products. */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext } from '../../app/context.ts'
import { authUser, requireAuth } from '../../http/auth.ts'
import { collections, type ProductDoc } from '../../readmodels/documents.ts'
import { presentOwners } from '../passport/owners.ts'
import { PublicOwnerPeriodSchema } from '../passport/schemas.ts'
import { forbidden, found } from '../refusals.ts'
import { PageOf, PageQuery, PathId } from '../schemas.ts'
import { ownerPeriodsOf, peopleOfProduct, presentProduct, PublicProductSchema } from '../views/product.ts'

export const ownershipRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/ownership/:productId/history',
    {
      schema: {
        params: Type.Object({ productId: PathId }),
        response: { 200: Type.Object({ productId: Type.String(), owners: Type.Array(PublicOwnerPeriodSchema) }) },
      },
    },
    async request => {
      const product = await found(ctx.readModels.get<ProductDoc>(collections.products, request.params.productId), 'product')
      const [people, periods] = await Promise.all([peopleOfProduct(ctx, product), ownerPeriodsOf(ctx, product.productId)])
      return { productId: product.productId, owners: presentOwners(periods, people) }
    },
  )

  app.get(
    '/ownership/user/:userId',
    {
      onRequest: requireAuth,
      schema: {
        params: Type.Object({ userId: PathId }),
        querystring: PageQuery,
        response: { 200: PageOf(PublicProductSchema) },
      },
    },
    async request => {
      const caller = authUser(request)
      const { userId } = request.params
      if (caller.userId !== userId && !caller.roles.includes('admin')) throw forbidden("only the user or an admin sees a user's products")
      const { limit, cursor } = request.query
      const page = await ctx.readModels.find<ProductDoc>(collections.products, { where: { ownerId: userId }, sort: '-updatedAt', limit, cursor })
      const items = await Promise.all(page.items.map(async product => presentProduct(product, await peopleOfProduct(ctx, product))))
      return { items, nextCursor: page.nextCursor }
    },
  )
}
