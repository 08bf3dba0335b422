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
  batch: (batchId: string) => `batch-${batchId}`,
  /** Batches opened and closed, so that a process starting up resumes those still running. */
  batchJobs: 'batch-jobs',
} as const

/** The product a batch issues for its item `index`: the same on every run, so a resumed run issues it once. */
export const batchProductId = (batchId: string, index: number): string => `${batchId}-${index}`
