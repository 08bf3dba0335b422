/** A product read model in public form, and the look-up behind a scanned QR code. */
import { Type } from '@fastify/type-provider-typebox'
import type { AppContext } from '../../app/context.ts'
import { namedProductId, type QrCodes } from '../../qr/codes.ts'
import { gtin14 } from '../../domain/product/gtin.ts'
import { collections, type OwnerPeriod, type OwnerPeriodsDoc, type ProductDoc } from '../../readmodels/documents.ts'
import { findAll } from '../../readmodels/findAll.ts'
import { productOfQrCode } from './qrLookup.ts'
import { loadPeople, type People } from '../passport/people.ts'
import type { CachedScan, ScanCache } from './scanCache.ts'
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
  endOfLife: Nullable(Type.Object({ type: Type.String(), at: Type.String() }, { description: 'set once the product was recycled' })),
  alert: Nullable(Type.Object({ status: Type.Union([Type.Literal('lost'), Type.Literal('stolen')]), since: Type.String() }, { description: 'reported lost or stolen by its owner' })),
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
  loadPeople(ctx, new Map(Object.entries(product.ownerVisibility)))

/** A product's periods of ownership, the brand's first. */
export const ownerPeriodsOf = async (ctx: AppContext, productId: string): Promise<OwnerPeriod[]> =>
  (await findAll<OwnerPeriodsDoc>(ctx.readModels, collections.ownerPeriods, { where: { productId }, sort: 'chunk' })).flatMap(({ periods }) => periods)

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
  endOfLife: product.endOfLife ?? null,
  alert: product.alert ?? null,
})

export type Verdict = 'authentic' | 'revoked'

/** A product as scanned: through one of its codes, or through its GS1 Digital Link without one. */
export interface Scan {
  product: ProductDoc
  /** The code scanned, or the product's current code when the link carried none. */
  qrCode: string
  status: Verdict
  people: People
}

export const UNKNOWN_CODE = 'unknown code (possible counterfeit)'

/** A code's product never changes; whether the code still holds is the product's to say: its current code is authentic. */
const verdictOf = (currentCode: string | null | undefined, qrCode: string): Verdict => (currentCode === qrCode ? 'authentic' : 'revoked')

/** The part of a scan that is the code's: the code, its verdict and when it was checked. */
const checkOf = (qrCode: string, status: Verdict, checkedAt: string) => ({ qrCode, authenticity: { status, checkedAt } })

const scanned = async (ctx: AppContext, product: ProductDoc, qrCode: string): Promise<Scan> => ({
  product,
  qrCode,
  status: verdictOf(product.qr?.code, qrCode),
  people: await peopleOfProduct(ctx, product),
})

/**
 * The product behind a code, or null for a code never issued. The signature is checked first, so a forged
 * or altered code costs no look-up; the code's product comes from the QR look-up cache.
 */
export async function scan(ctx: AppContext, codes: QrCodes, qrCode: string): Promise<Scan | null> {
  const signed = codes.verify(qrCode)
  if (!signed) return null
  const productId = await productOfQrCode(ctx.cache, ctx.readModels, qrCode)
  if (productId !== signed.productId) return null
  const product = await ctx.readModels.get<ProductDoc>(collections.products, productId)
  return product && scanned(ctx, product, qrCode)
}

/**
 * The JSON of GET /api/products/{qrCode} from the scan cache, undefined unless it holds the code's product and has
 * seen `minPosition`. Synchronous, so that a warm scan costs no promise. A code the cache holds was verified and
 * found issued when it went in, so it is not checked again.
 */
export function cachedScanJson(cache: ScanCache, qrCode: string, minPosition: number, checkedAt: string): string | undefined {
  const untilCheckedAt = cache.get(namedProductId(qrCode), minPosition)?.scans.get(qrCode)
  return untilCheckedAt === undefined ? undefined : checkedAtEnds(untilCheckedAt, checkedAt)
}

/**
 * The JSON of GET /api/products/{qrCode} read from the read models and put in the scan cache; null for a code never
 * issued. The scan of a product reported lost or stolen goes to `onReported` and is never cached, so that each is seen.
 */
export async function scanJson(
  ctx: AppContext,
  codes: QrCodes,
  cache: ScanCache,
  qrCode: string,
  checkedAt: string,
  onReported: (productId: string) => void,
): Promise<string | null> {
  const seenAtRead = cache.position
  const cached = cache.get(namedProductId(qrCode))
  const readModelsCaughtUp = seenAtRead !== null && (await ctx.waitForPosition(seenAtRead, 0))
  const scanned = await scan(ctx, codes, qrCode)
  if (!scanned) return null
  const untilCheckedAt = JSON.stringify(presentScan(scanned, '')).slice(0, -CHECKED_AT_END.length)
  const entry: CachedScan = { ownerId: scanned.product.ownerId, scans: new Map([...(cached?.scans ?? []), [qrCode, untilCheckedAt]]) }
  if (scanned.product.alert) onReported(scanned.product.productId)
  else if (readModelsCaughtUp) cache.set(scanned.product.productId, entry, seenAtRead)
  return checkedAtEnds(untilCheckedAt, checkedAt)
}

/** What follows the time of the check in a scan's JSON: checkedAt is the last field of the last object. */
const CHECKED_AT_END = '"}}'

/** A scan's JSON from the text before its check's time (an ISO time needs no escaping). */
const checkedAtEnds = (untilCheckedAt: string, checkedAt: string): string => `${untilCheckedAt}${checkedAt}${CHECKED_AT_END}`

/** Every way a GTIN may have been written (8, 12, 13 or 14 digits) that pads to the same GTIN-14. */
export const gtinForms = (gtin: string): string[] => {
  const padded = gtin14(gtin)
  return [8, 12, 13, 14].filter(length => /^0*$/.test(padded.slice(0, 14 - length))).map(length => padded.slice(14 - length))
}

/**
 * The product a GS1 Digital Link names (`/01/{gtin}/21/{serial}`, the GTIN padded or not), as scanned through its
 * current code; null for a product we do not know.
 */
export async function scanDigitalLink(ctx: AppContext, gtin: string, serialNumber: string): Promise<Scan | null> {
  const product = await issuedProduct(ctx, gtin, serialNumber)
  return product?.qr ? scanned(ctx, product, product.qr.code) : null
}

/** The product issued with a GTIN (padded or not) and serial number; without a serial number, any product of that GTIN. */
export async function issuedProduct(ctx: AppContext, gtin: string, serialNumber?: string): Promise<(ProductDoc & { gtin: string }) | null> {
  const where = { gtin: { in: gtinForms(gtin) }, ...(serialNumber !== undefined && { serialNumber }) }
  const [product] = (await ctx.readModels.find<ProductDoc>(collections.products, { where, limit: 1 })).items
  return product?.gtin === undefined ? null : { ...product, gtin: product.gtin }
}

/** The product a GS1 Digital Link names, through the code in its `q` when it carries one, which must be that very item's. */
export async function scanLink(ctx: AppContext, codes: QrCodes, gtin: string, serialNumber: string, q: string | undefined): Promise<Scan | null> {
  if (q === undefined) return scanDigitalLink(ctx, gtin, serialNumber)
  const scanned = await scan(ctx, codes, q)
  return scanned && isNamedBy(scanned.product, gtin, serialNumber) ? scanned : null
}

/** Whether a product is the one a GS1 Digital Link names. */
export const isNamedBy = (product: ProductDoc, gtin: string, serialNumber: string): boolean =>
  product.gtin !== undefined && gtin14(product.gtin) === gtin14(gtin) && product.serialNumber === serialNumber

/** The JSON of GET /api/products/{qrCode}, also what the public page answers to `Accept: application/json`. */
export const presentScan = ({ product, qrCode, status, people }: Scan, checkedAt: string) => ({
  ...presentProduct(product, people),
  ...checkOf(qrCode, status, checkedAt),
})
