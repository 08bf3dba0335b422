/** qr_codes: every code ever issued, so a scan tells an active code from a revoked one from a forgery. */
import { collections, type QrCodeDoc } from '../readmodels/documents.ts'
import { defineProjection } from './projection.ts'
import { create, patch } from './write.ts'

export const qrCodesProjection = defineProjection({
  name: 'qr_codes',
  collections: [{ name: collections.qrCodes, indexes: [['productId']] }],
  on: {
    QrCodeIssued: (event, store) => {
      const { qrCode, productId, issuedAt } = event.data
      return create<QrCodeDoc>(store, collections.qrCodes, event, { id: qrCode, productId, status: 'active', issuedAt, revokedAt: null })
    },
    QrCodeRevoked: (event, store) =>
      patch<QrCodeDoc>(store, collections.qrCodes, event.data.qrCode, event, () => ({ status: 'revoked', revokedAt: event.data.revokedAt })),
  },
})
