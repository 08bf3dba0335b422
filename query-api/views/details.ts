/** GET /products/{productId}/details: the full read model of a product, also the base of its public passport view. */
import { Type } from '@fastify/type-provider-typebox'
import type { AppContext } from '../../app/context.ts'
import { collections, type ProductDoc, type QrCodeDoc } from '../../readmodels/documents.ts'
import { Nullable, Position } from '../schemas.ts'
import { peopleOfProduct, presentProduct, PublicProductSchema } from './product.ts'

export const DetailsSchema = Type.Composite([
  PublicProductSchema,
  Type.Object({
    qr: Nullable(
      Type.Object({
        code: Type.String(),
        url: Type.String(),
        issuedAt: Type.String(),
        status: Nullable(Type.Union([Type.Literal('active'), Type.Literal('revoked')])),
      }),
    ),
    revision: Type.Integer(),
    updatedAt: Type.String(),
    position: Position,
  }),
])

export async function presentDetails(ctx: AppContext, doc: ProductDoc) {
  const [qrDoc, people] = await Promise.all([doc.qr && ctx.readModels.get<QrCodeDoc>(collections.qrCodes, doc.qr.code), peopleOfProduct(ctx, doc)])
  return {
    ...presentProduct(doc, people),
    qr: doc.qr && { ...doc.qr, status: qrDoc?.status ?? null },
    revision: doc.revision,
    updatedAt: doc.updatedAt,
    position: String(doc.position),
  }
}
