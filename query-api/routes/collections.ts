/** Brands' collections and their designs. */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext } from '../../app/context.ts'
import { collections, type CollectionDoc } from '../../readmodels/documents.ts'
import { found } from '../refusals.ts'
import { Materials, PageOf, PageQuery, PathId } from '../schemas.ts'

const CollectionSchema = Type.Object({
  collectionId: Type.String(),
  brandId: Type.String(),
  brandName: Type.String(),
  name: Type.String(),
  season: Type.Optional(Type.String()),
  description: Type.Optional(Type.String()),
  designs: Type.Array(
    Type.Object({
      designId: Type.String(),
      name: Type.String(),
      description: Type.Optional(Type.String()),
      materials: Type.Optional(Materials),
    }),
  ),
  createdAt: Type.String(),
})

export const collectionRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/collections',
    {
      schema: {
        querystring: Type.Composite([PageQuery, Type.Object({ brandId: Type.Optional(PathId) })]),
        response: { 200: PageOf(CollectionSchema) },
      },
    },
    async request => {
      const { brandId, limit, cursor } = request.query
      const where: Record<string, string> = brandId === undefined ? {} : { brandId }
      return ctx.readModels.find<CollectionDoc>(collections.collections, { where, sort: '-createdAt', limit, cursor })
    },
  )

  app.get(
    '/collections/:collectionId',
    { schema: { params: Type.Object({ collectionId: PathId }), response: { 200: CollectionSchema } } },
    async request => found(ctx.readModels.get<CollectionDoc>(collections.collections, request.params.collectionId), 'collection'),
  )
}
