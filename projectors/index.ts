/**
 * Every projection, in the order the runner applies each event to them. A projection may read another's
 * documents only if that one comes earlier here, and only fields that never change once written
 * (listings read the product's name and brand, notifications a story's author).
 */
import { brandsProjection } from './brands.ts'
import { collectionsProjection } from './collections.ts'
import { listingsProjection } from './listings.ts'
import { notificationsProjection } from './notifications.ts'
import { productsProjection } from './products.ts'
import type { Projection } from './projection.ts'
import { qrCodesProjection } from './qrCodes.ts'
import { storiesProjection } from './stories.ts'
import { transactionsProjection } from './transactions.ts'
import { usersProjection } from './users.ts'

export const projections: readonly Projection[] = [
  productsProjection,
  qrCodesProjection,
  usersProjection,
  brandsProjection,
  storiesProjection,
  listingsProjection,
  transactionsProjection,
  collectionsProjection,
  notificationsProjection,
]
