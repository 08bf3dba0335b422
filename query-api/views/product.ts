/** A product read model in public form, and the look-up behind a scanned QR code. */
import { Type } from '@fastify/type-provider-typebox'
import type { AppContext } from '../../app/context.ts'
import { namedProductId, type QrCodes } from '../../qr/codes.ts'
import { gtin14 } from '../../domain/product/gtin.ts'
import { collections, type BrandDoc, type OwnerPeriod, type OwnerPeriodsDoc, type ProductDoc } from '../../readmodels/documents.ts'
import { findAll } from '../../readmodels/findAll.ts'
import { productOfQrCode } from './qrLookup.ts'
import { loadPeople, type People } from '../passport/people.ts'
import type { CachedScan, ScanCache } from './scanCache.ts'
import { Condition, Materials, Money, Nullable, PersonRef } from '../schemas.ts'
import { OneOf } from '../../shared/schemas.ts'
import { scanWatchOf, type Scanner } from '../scans/scanWatch.ts'

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
      status: OneOf('authentic', 'revoked', 'unverified', 'unverified_brand', 'suspicious'),
      reason: Type.Optional(Type.String({ description: 'what a verdict other than authentic means, in plain words' })),
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

export type Verdict = 'authentic' | 'revoked' | 'unverified' | 'unverified_brand' | 'suspicious'

/** A product as scanned: through one of its codes, or through its GS1 Digital Link without a valid one. */
export interface Scan {
  product: ProductDoc
  /** The code scanned, or the product's current code when the link carried no valid one. */
  qrCode: string
  status: Verdict
  people: People
}

export const UNKNOWN_CODE = 'unknown code (possible counterfeit)'

/** What each verdict but `authentic` means, in the scan's JSON. */
export const VERDICT_REASONS: Record<Exclude<Verdict, 'authentic'>, string> = {
  revoked: 'this code was replaced by a newer one: the label may be a copy',
  unverified: 'the link carries no valid signature (typed in or altered): scan the code on the label',
  unverified_brand: 'the brand that issued this product is not, or no longer, verified',
  suspicious: 'this code was scanned in too many places at once: the label may have been copied',
}

/** How a code was checked: whether its signature held, and whether it is flagged as a possible clone. */
export interface CodeCheck {
  signed: boolean
  flagged: boolean
}

/** Authentic only with a valid signature on the product's current code, from a verified brand, not flagged. */
const verdictOf = (product: ProductDoc, qrCode: string, { signed, flagged }: CodeCheck, brandVerified: boolean): Verdict => {
  if (!signed) return 'unverified'
  if (product.qr?.code !== qrCode) return 'revoked'
  if (flagged || product.suspiciousQrCodes?.includes(qrCode)) return 'suspicious'
  return brandVerified ? 'authentic' : 'unverified_brand'
}

/** The part of a scan that is the code's: the code, its verdict and when it was checked (the last field). */
const checkOf = (qrCode: string, status: Verdict, checkedAt: string) => ({
  qrCode,
  authenticity: status === 'authentic' ? { status, checkedAt } : { status, reason: VERDICT_REASONS[status], checkedAt },
})

const isBrandVerified = async (ctx: AppContext, brandId: string): Promise<boolean> =>
  (await ctx.readModels.get<BrandDoc>(collections.brands, brandId))?.status === 'verified'

/** The product's people and brand are read while the scan is still being counted (`flagged` pending). */
export const scanned = async (ctx: AppContext, product: ProductDoc, qrCode: string, { signed, flagged }: { signed: boolean; flagged: boolean | Promise<boolean> }): Promise<Scan> => {
  const [people, brandVerified, isFlagged] = await Promise.all([peopleOfProduct(ctx, product), isBrandVerified(ctx, product.brand.brandId), flagged])
  return { product, qrCode, status: verdictOf(product, qrCode, { signed, flagged: isFlagged }, brandVerified), people }
}

/** The product a validly signed code was issued for (current or revoked), or null for a code never issued. The
 *  signature is checked first, so a forged or altered code costs no look-up; the product the signed code names is
 *  read while the look-up says whether the code was issued for it. */
export async function productOfCode(ctx: AppContext, codes: QrCodes, qrCode: string): Promise<ProductDoc | null> {
  const signed = codes.verify(qrCode)
  if (!signed) return null
  const [productId, product] = await Promise.all([
    productOfQrCode(ctx.cache, ctx.readModels, qrCode),
    ctx.readModels.get<ProductDoc>(collections.products, signed.productId),
  ])
  return productId === signed.productId ? product : null
}

/**
 * The product behind a code, or null for a code never issued; the scan is counted for clone detection (from
 * the scanner's address) unless `counted` already says whether the code is flagged.
 */
export async function scan(ctx: AppContext, codes: QrCodes, qrCode: string, scanner: Scanner, counted?: boolean): Promise<Scan | null> {
  const product = await productOfCode(ctx, codes, qrCode)
  if (!product) return null
  const flagged = counted ?? scanWatchOf(ctx).count(product.productId, qrCode, scanner)
  return scanned(ctx, product, qrCode, { signed: true, flagged })
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
  scanner: Scanner,
  onReported: (productId: string) => void,
  counted?: boolean,
): Promise<string | null> {
  const seenAtRead = cache.position
  const cached = cache.get(namedProductId(qrCode))
  const readModelsCaughtUp = seenAtRead !== null && (await ctx.waitForPosition(seenAtRead, 0))
  const scanned = await scan(ctx, codes, qrCode, scanner, counted)
  if (!scanned) return null
  const untilCheckedAt = JSON.stringify(presentScan(scanned, '')).slice(0, -CHECKED_AT_END.length)
  const { ownerId, brand } = scanned.product
  const entry: CachedScan = { ownerId, brandId: brand.brandId, scans: new Map([...(cached?.scans ?? []), [qrCode, untilCheckedAt]]) }
  if (scanned.product.alert) onReported(scanned.product.productId)
  else if (readModelsCaughtUp) cache.set(scanned.product.productId, entry, seenAtRead)
  return checkedAtEnds(untilCheckedAt, scanner.receivedAt)
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
 * The product a GS1 Digital Link names (`/01/{gtin}/21/{serial}`, the GTIN padded or not), as scanned without a
 * valid signature: `unverified`, whatever its code; null for a product we do not know.
 */
export async function scanDigitalLink(ctx: AppContext, gtin: string, serialNumber: string): Promise<Scan | null> {
  const product = await issuedProduct(ctx, gtin, serialNumber)
  return product?.qr ? scanned(ctx, product, product.qr.code, { signed: false, flagged: false }) : null
}

/** The product issued with a GTIN (padded or not) and serial number; without a serial number, any product of that GTIN. */
export async function issuedProduct(ctx: AppContext, gtin: string, serialNumber?: string): Promise<(ProductDoc & { gtin: string }) | null> {
  const where = { gtin: { in: gtinForms(gtin) }, ...(serialNumber !== undefined && { serialNumber }) }
  const [product] = (await ctx.readModels.find<ProductDoc>(collections.products, { where, limit: 1 })).items
  return product?.gtin === undefined ? null : { ...product, gtin: product.gtin }
}

/**
 * The product a GS1 Digital Link names: through the code in its `q` when that is a validly signed code of this very
 * item (the scan is counted for clone detection), else without one, `unverified`.
 */
export async function scanLink(ctx: AppContext, codes: QrCodes, link: { gtin: string; serialNumber: string; q: string | undefined }, scanner: Scanner): Promise<Scan | null> {
  const { gtin, serialNumber, q } = link
  const product = q === undefined ? null : await productOfCode(ctx, codes, q)
  if (q === undefined || !product || !isNamedBy(product, gtin, serialNumber)) return scanDigitalLink(ctx, gtin, serialNumber)
  const flagged = await scanWatchOf(ctx).count(product.productId, q, scanner)
  return scanned(ctx, product, q, { signed: true, flagged })
}

/** Whether a product is the one a GS1 Digital Link names. */
export const isNamedBy = (product: ProductDoc, gtin: string, serialNumber: string): boolean =>
  product.gtin !== undefined && gtin14(product.gtin) === gtin14(gtin) && product.serialNumber === serialNumber

/** The JSON of GET /api/products/{qrCode}, also what the public page answers to `Accept: application/json`. */
export const presentScan = ({ product, qrCode, status, people }: Scan, checkedAt: string) => ({
  ...presentProduct(product, people),
  ...checkOf(qrCode, status, checkedAt),
})
