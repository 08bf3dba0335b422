/** How an owner shows in the product's history: their latest consent, public until they say otherwise. */
import type { Visibility } from './events.ts'
import type { ProductState } from './state.ts'

/** An owner who never changed their consent is shown. */
export const DEFAULT_VISIBILITY: Visibility = 'public'

/** The visibility that applies to every period `userId` owned the product. */
export const visibilityOf = (state: Pick<ProductState, 'consents'>, userId: string): Visibility =>
  state.consents[userId] ?? DEFAULT_VISIBILITY
