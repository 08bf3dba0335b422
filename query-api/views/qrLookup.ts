/**
 * Which product a QR code was issued for: from the look-up cache the qr_cache projection keeps, else from
 * qr_codes. A code's product never changes, so a cached answer is never wrong, and whether the code is still
 * active is the product's to say (it is, while it is the product's current code).
 */
import type { Cache } from '../../adapters/ports.ts'
import type { ReadModelStore } from '../../readmodels/port.ts'
import { collections, qrCacheKey, type QrCodeDoc } from '../../readmodels/documents.ts'

/** null for a code never issued. */
export async function productOfQrCode(cache: Cache, store: ReadModelStore, qrCode: string): Promise<string | null> {
  return (await cache.get(qrCacheKey(qrCode))) ?? (await store.get<QrCodeDoc>(collections.qrCodes, qrCode))?.productId ?? null
}
