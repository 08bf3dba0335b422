/** GET /admin/brands: the applications an admin decides on; GET /brands/{userId}: a brand's verification, public. */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext } from '../../app/context.ts'
import { OneOf } from '../../shared/schemas.ts'
import { requireRole } from '../../http/auth.ts'
import { collections, type BrandDoc } from '../../readmodels/documents.ts'
import { found } from '../refusals.ts'
import { Nullable, PageOf, PageQuery, PathId } from '../schemas.ts'

const BrandStatus = OneOf('pending', 'verified', 'rejected')

const Application = Type.Object({ userId: Type.String(), brandName: Type.String(), status: BrandStatus, appliedAt: Type.String() })

const Brand = Type.Object({
  userId: Type.String(),
  brandName: Type.String(),
  status: BrandStatus,
  verifiedAt: Nullable(Type.String()),
  gs1CompanyPrefixes: Type.Array(Type.String()),
})

export const brandRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/admin/brands',
    {
      onRequest: requireRole('admin'),
      schema: { querystring: Type.Composite([PageQuery, Type.Object({ status: Type.Optional(BrandStatus) })]), response: { 200: PageOf(Application) } },
    },
    async request => {
      const { status, limit, cursor } = request.query
      const where: Record<string, string> = status === undefined ? {} : { status }
      return ctx.readModels.find<BrandDoc>(collections.brands, { where, sort: 'appliedAt', limit, cursor })
    },
  )

  app.get('/brands/:userId', { schema: { params: Type.Object({ userId: PathId }), response: { 200: Brand } } }, async request =>
    found(ctx.readModels.get<BrandDoc>(collections.brands, request.params.userId), 'brand'),
  )
}
