/**
 * How an accepted lifecycle record reads in EPCIS 2.0: its CBV 2.0 business step and the disposition the item is
 * left in. Shared by every EPCIS view of a product's history.
 */
import type { LifecycleType } from '../../domain/product/lifecycleEvents.ts'

export const LIFECYCLE_STEPS: Record<LifecycleType, { bizStep: string; disposition: string }> = {
  repair: { bizStep: 'repairing', disposition: 'active' },
  alteration: { bizStep: 'repairing', disposition: 'active' },
  cleaning: { bizStep: 'other', disposition: 'active' },
  inspection: { bizStep: 'inspecting', disposition: 'active' },
  take_back: { bizStep: 'receiving', disposition: 'returned' },
  recycling: { bizStep: 'decommissioning', disposition: 'inactive' },
}
