/**
 * Story, listing and transaction ids embed their product id (`{productId}_{suffix}`), so a command about
 * one of them finds its product stream without a read model.
 */
const SEPARATOR = '_'

export const childId = (productId: string, suffix: string): string => `${productId}${SEPARATOR}${suffix}`

export const productIdOf = (id: string): string | null => {
  const at = id.lastIndexOf(SEPARATOR)
  return at > 0 ? id.slice(0, at) : null
}

export const streams = {
  product: (productId: string) => `product-${productId}`,
  user: (userId: string) => `user-${userId}`,
  collection: (collectionId: string) => `collection-${collectionId}`,
  /** One stream per keyed email hash makes "email already taken" a strongly consistent rule. */
  email: (emailHash: string) => `email-${emailHash}`,
} as const
