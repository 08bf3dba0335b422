/**
 * The QR look-up cache: which product a code was issued for, written when the code is issued and dropped when
 * it is revoked (regeneration). A code's product never changes, so a cached answer is never wrong, and whether
 * the code is still active is the product's to say (it is, while it is the product's current code).
 */
import type { Cache } from '../adapters/ports.ts'
import type { ReadModelStore } from '../readmodels/port.ts'
import { collections, type QrCodeDoc } from './documents.ts'
import { defineProjection } from './projection.ts'

const key = (qrCode: string) => `qr:${qrCode}`

export const qrCacheProjection = (cache: Cache) =>
  defineProjection({
    name: 'qr_cache',
    collections: [],
    on: {
      QrCodeIssued: event => cache.set(key(event.data.qrCode), event.data.productId),
      QrCodeRevoked: event => cache.delete(key(event.data.qrCode)),
    },
  })

/** The product a code was issued for, null for a code never issued: from the cache, else from qr_codes. */
export async function productOfQrCode(cache: Cache, store: ReadModelStore, qrCode: string): Promise<string | null> {
  return (await cache.get(key(qrCode))) ?? (await store.get<QrCodeDoc>(collections.qrCodes, qrCode))?.productId ?? null
}
