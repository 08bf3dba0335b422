/** A product read model in public form, and the look-up behind a scanned QR code. */
import { Type } from '@fastify/type-provider-typebox'
import type { AppContext } from '../../app/context.ts'
import { createQrCodes, type QrCodes } from '../../qr/codes.ts'
import { collections, type ProductDoc, type QrCodeDoc } from '../../projectors/documents.ts'
import { loadPeople, type People } from '../passport/people.ts'
import { Condition, Materials, Money, Nullable, PersonRef } from '../schemas.ts'

const ActiveListing = Type.Object({
  listingId: Type.String(),
  price: Money,
  condition: Condition,
  status: Type.Union([Type.Literal('active'), Type.Literal('reserved')]),
})

export const PublicProductSchema = Type.Object({
  productId: Type.String(),
  name: Type.String(),
  brand: Type.String({ description: 'the brand name' }),
  brandId: Type.String(),
  description: Nullable(Type.String()),
  collectionId: Nullable(Type.String()),
  designId: Nullable(Type.String()),
  gtin: Nullable(Type.String()),
  serialNumber: Type.String(),
  materials: Nullable(Materials),
  madeIn: Nullable(Type.String()),
  originalPrice: Nullable(Money),
  createdAt: Type.String(),
  currentOwner: PersonRef,
  ownerCount: Type.Integer(),
  storiesCount: Type.Integer(),
  activeListing: Nullable(ActiveListing),
})

export const ScanSchema = Type.Composite([
  PublicProductSchema,
  Type.Object({
    qrCode: Type.String(),
    authenticity: Type.Object({
      status: Type.Union([Type.Literal('authentic'), Type.Literal('revoked')]),
      checkedAt: Type.String(),
    }),
  }),
])

export const peopleOfProduct = (ctx: AppContext, product: ProductDoc): Promise<People> =>
  loadPeople(ctx, new Map(product.owners.map(({ userId, visibility }) => [userId, visibility])))

export const presentProduct = (product: ProductDoc, people: People) => ({
  productId: product.productId,
  name: product.name,
  brand: product.brand.name,
  brandId: product.brand.brandId,
  description: product.description ?? null,
  collectionId: product.collectionId ?? null,
  designId: product.designId ?? null,
  gtin: product.gtin ?? null,
  serialNumber: product.serialNumber,
  materials: product.materials ?? null,
  madeIn: product.madeIn ?? null,
  originalPrice: product.originalPrice ?? null,
  createdAt: product.createdAt,
  currentOwner: people.ref(product.ownerId),
  ownerCount: product.ownerCount,
  storiesCount: product.storiesCount,
  activeListing: product.activeListing,
})

export interface Scan {
  product: ProductDoc
  qr: QrCodeDoc
  people: People
}

/** Verifies scanned codes offline with the signing secret. */
export const qrCodesOf = (ctx: AppContext): QrCodes =>
  createQrCodes({ secret: ctx.config.signingSecret, publicBaseUrl: ctx.config.publicBaseUrl })

export const UNKNOWN_CODE = 'unknown code (possible counterfeit)'

/**
 * The product behind a code, or null for a code never issued. The signature is checked first, so a forged
 * or altered code costs no look-up.
 */
export async function scan(ctx: AppContext, codes: QrCodes, qrCode: string): Promise<Scan | null> {
  const signed = codes.verify(qrCode)
  if (!signed) return null
  const qr = await ctx.readModels.get<QrCodeDoc>(collections.qrCodes, qrCode)
  if (!qr || qr.productId !== signed.productId) return null
  const product = await ctx.readModels.get<ProductDoc>(collections.products, qr.productId)
  return product && { product, qr, people: await peopleOfProduct(ctx, product) }
}

/** The JSON of GET /api/products/{qrCode}, also what the public page answers to `Accept: application/json`. */
export const presentScan = ({ product, qr, people }: Scan, qrCode: string, checkedAt: string) => ({
  ...presentProduct(product, people),
  qrCode,
  authenticity: { status: qr.status === 'active' ? ('authentic' as const) : ('revoked' as const), checkedAt },
})
