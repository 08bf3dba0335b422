/**
 * The QR look-up cache: which product a code was issued for, written when the code is issued and dropped when
 * it is revoked (regeneration). The query API reads it (query-api/views/qrLookup.ts).
 */
import type { Cache } from '../adapters/ports.ts'
import { qrCacheKey } from '../readmodels/documents.ts'
import { defineProjection } from './projection.ts'

export const qrCacheProjection = (cache: Cache) =>
  defineProjection({
    name: 'qr_cache',
    collections: [],
    on: {
      QrCodeIssued: event => cache.set(qrCacheKey(event.data.qrCode), event.data.productId),
      QrCodeRevoked: event => cache.delete(qrCacheKey(event.data.qrCode)),
    },
  })
