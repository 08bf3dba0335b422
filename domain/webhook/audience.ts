import type { ProductState } from '../product/state.ts'

/** Who receives a product's webhook events: its brand, and every partner that wrote a lifecycle record on it. */
export const audienceOf = (product: ProductState): string[] => [
  ...new Set([product.brandId, ...Object.values(product.lifecycle).map(record => record.partnerId)]),
]
