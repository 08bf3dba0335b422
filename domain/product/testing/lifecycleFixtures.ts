/** Test data for the lifecycle specs: partners and the events of their records. */
import type { LifecycleAccepted, LifecycleRecorded, LifecycleRefused, LifecycleType, PartnerRole } from '../lifecycleEvents.ts'
import { ALICE, NOW, PRODUCT } from './fixtures.ts'

export const REPAIRER = 'repairer-1'
export const RECYCLER = 'recycler-1'
export const RESELLER = 'reseller-1'
export const RECORD = `${PRODUCT}_lc1`
export const REPAIRED_AT = '2024-05-20T10:00:00.000Z'

export const recorded = (
  type: LifecycleType = 'repair',
  partnerId = REPAIRER,
  partnerRole: PartnerRole = 'repairer',
  { ownerId = ALICE, lifecycleId = RECORD } = {},
): LifecycleRecorded => ({
  type: 'LifecycleRecorded',
  data: {
    productId: PRODUCT,
    lifecycleId,
    type,
    description: 'Replaced the zip',
    occurredAt: REPAIRED_AT,
    mediaIds: [],
    partnerId,
    partnerRole,
    ownerId,
    recordedAt: NOW,
  },
})

export const accepted = (record: LifecycleRecorded, ownerId = ALICE, acceptedAt = NOW): LifecycleAccepted => {
  const { productId, lifecycleId, type, partnerId, partnerRole } = record.data
  return { type: 'LifecycleAccepted', data: { productId, lifecycleId, type, partnerId, partnerRole, ownerId, acceptedAt } }
}

export const refused = (record: LifecycleRecorded, ownerId = ALICE): LifecycleRefused => ({
  type: 'LifecycleRefused',
  data: { productId: PRODUCT, lifecycleId: record.data.lifecycleId, ownerId, refusedAt: NOW },
})
