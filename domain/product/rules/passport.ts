import { Conflict, Forbidden, RuleViolated } from '../../errors.ts'
import { defined } from '../../defined.ts'
import { isUnderPrefixes } from '../../gs1CompanyPrefix.ts'
import type { CreateProduct, FlagScanAnomaly, RegenerateQrCode } from '../commands.ts'
import type { ProductCreated, QrCodeIssued, QrCodeRevoked, ScanAnomalyDetected } from '../events.ts'
import { isValidGtin } from '../gtin.ts'
import { materialsAddUp } from '../materials.ts'
import type { ProductState } from '../state.ts'
import { hasRole, requireProduct } from './guards.ts'

const requireCollectionFacts = ({ data, metadata }: CreateProduct): void => {
  if (data.designId !== undefined && data.collectionId === undefined) throw new RuleViolated('a design needs its collection')
  if (!data.collection || data.collectionId === undefined) return
  if (data.collection.brandId !== metadata.actorId) throw new Forbidden('the collection belongs to another brand')
  if (data.designId !== undefined && !data.collection.designIds.includes(data.designId))
    throw new RuleViolated('the design is not in the collection')
}

const requireGtinOfBrand = ({ data }: CreateProduct): void => {
  if (data.gtin === undefined) return
  const { gs1CompanyPrefixes } = data.brand
  if (gs1CompanyPrefixes.length === 0) throw new RuleViolated('a brand with no GS1 Company Prefix issues products without a GTIN only')
  if (!isUnderPrefixes(data.gtin, gs1CompanyPrefixes)) throw new RuleViolated("the GTIN is not under any of the brand's GS1 Company Prefixes")
}

export const createProduct = (command: CreateProduct, state: ProductState): [ProductCreated, QrCodeIssued] => {
  const { data, metadata } = command
  if (state.exists) throw new Conflict('product already exists')
  if (!hasRole(metadata.roles, 'brand')) throw new Forbidden('only a brand can create products')
  if (data.brandId !== metadata.actorId) throw new Forbidden('a brand can only create its own products')
  if (!data.brand.verified) throw new Forbidden('only a verified brand can issue products')
  if (data.gtin !== undefined && !isValidGtin(data.gtin))
    throw new RuleViolated('invalid GTIN: expected a GTIN-8/12/13/14 with a valid GS1 check digit')
  requireGtinOfBrand(command)
  if (data.materials !== undefined && !materialsAddUp(data.materials))
    throw new RuleViolated('material percentages must add up to 100')
  requireCollectionFacts(command)

  const { qrCode, qrUrl, collection: _facts, brand: _brand, ...product } = data
  return [
    { type: 'ProductCreated', data: defined({ ...product, createdAt: metadata.now }) },
    { type: 'QrCodeIssued', data: { productId: data.productId, qrCode, qrUrl, issuedAt: metadata.now } },
  ]
}

export const regenerateQrCode = ({ data, metadata }: RegenerateQrCode, state: ProductState): (QrCodeRevoked | QrCodeIssued)[] => {
  requireProduct(state)
  if (metadata.actorId !== state.brandId && metadata.actorId !== state.ownerId)
    throw new Forbidden('only the brand or the current owner can regenerate the QR code')
  if (data.qrCode === state.qrCode || state.revokedQrCodes.includes(data.qrCode))
    throw new RuleViolated('a QR code that was issued before cannot be issued again')

  const revoked: QrCodeRevoked[] = state.qrCode
    ? [{ type: 'QrCodeRevoked', data: { productId: data.productId, qrCode: state.qrCode, revokedAt: metadata.now } }]
    : []
  const { productId, qrCode, qrUrl } = data
  return [...revoked, { type: 'QrCodeIssued', data: { productId, qrCode, qrUrl, issuedAt: metadata.now } }]
}

/** Flags a code once; a code never issued for the product is not this product's to flag. */
export const flagScanAnomaly = ({ data, metadata }: FlagScanAnomaly, state: ProductState): ScanAnomalyDetected[] => {
  requireProduct(state)
  if (data.qrCode !== state.qrCode && !state.revokedQrCodes.includes(data.qrCode)) throw new RuleViolated('the code was not issued for this product')
  if (state.suspiciousQrCodes.includes(data.qrCode)) return []
  const { productId, qrCode, networks, threshold, windowMinutes } = data
  return [
    {
      type: 'ScanAnomalyDetected',
      data: { productId, qrCode, networks, threshold, windowMinutes, brandId: state.brandId, ownerId: state.ownerId, detectedAt: metadata.now },
    },
  ]
}
