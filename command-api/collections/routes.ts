/** POST /collections and POST /collections/{collectionId}/designs: a brand's collections and their designs. */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { CommandApiContext } from '../../app/context.ts'
import { authUser, requireRole } from '../../http/auth.ts'
import { brandNameOf } from '../brandName.ts'
import { Materials, PathId, Position, Strict, Text } from '../../shared/schemas.ts'
import { positionOf, writeCollection } from '../write.ts'

const NewCollection = Strict({ name: Text(200), season: Type.Optional(Text(100)), description: Type.Optional(Text(2000)) })

const NewDesign = Strict({ name: Text(200), description: Type.Optional(Text(2000)), materials: Type.Optional(Materials) })

export const collectionRoutes: FastifyPluginAsyncTypebox<{ ctx: CommandApiContext }> = async (app, { ctx }) => {
  app.post(
    '/collections',
    {
      onRequest: requireRole('brand'),
      schema: {
        body: NewCollection,
        response: { 201: Type.Composite([NewCollection, Strict({ collectionId: Type.String(), brandId: Type.String(), brandName: Type.String(), position: Position })]) },
      },
    },
    async (request, reply) => {
      const brandId = authUser(request).userId
      const data = { ...request.body, collectionId: ctx.newId(), brandId, brandName: await brandNameOf(ctx, brandId) }
      const result = await writeCollection(ctx, request, { type: 'CreateCollection', data })
      return reply.code(201).send({ ...data, position: positionOf(result) })
    },
  )

  app.post(
    '/collections/:collectionId/designs',
    {
      onRequest: requireRole('brand'),
      schema: {
        params: Strict({ collectionId: PathId }),
        body: NewDesign,
        response: { 201: Type.Composite([NewDesign, Strict({ collectionId: Type.String(), designId: Type.String(), position: Position })]) },
      },
    },
    async (request, reply) => {
      const data = { ...request.body, collectionId: request.params.collectionId, designId: ctx.newId() }
      const result = await writeCollection(ctx, request, { type: 'AddDesign', data })
      return reply.code(201).send({ ...data, position: positionOf(result) })
    },
  )
}
