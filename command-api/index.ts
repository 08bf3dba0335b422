/** Every command (write) route, registered by app/buildApp under /api. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { CommandApiContext } from '../app/context.ts'
import { authRoutes } from './auth/routes.ts'
import { batchRoutes } from './batches/routes.ts'
import { brandRoutes } from './brands/routes.ts'
import { collectionRoutes } from './collections/routes.ts'
import { lifecycleRoutes } from './lifecycle/routes.ts'
import { mediaRoutes } from './media/routes.ts'
import { ownershipRoutes } from './ownership/routes.ts'
import { partnerKeyRoutes } from './partners/keys.ts'
import { productRoutes } from './products/routes.ts'
import { protectionRoutes } from './protection/routes.ts'
import { listingRoutes } from './resale/listings.ts'
import { transactionRoutes } from './resale/transactions.ts'
import { storyRoutes } from './stories/routes.ts'
import { userRoutes } from './users/routes.ts'
import { webhookRoutes } from './webhooks/routes.ts'

const routePlugins = [
  authRoutes,
  userRoutes,
  brandRoutes,
  collectionRoutes,
  productRoutes,
  batchRoutes,
  ownershipRoutes,
  protectionRoutes,
  mediaRoutes,
  storyRoutes,
  listingRoutes,
  transactionRoutes,
  partnerKeyRoutes,
  lifecycleRoutes,
  webhookRoutes,
]

export const commandApi: FastifyPluginAsyncTypebox<{ ctx: CommandApiContext }> = async (app, { ctx }) => {
  for (const routes of routePlugins) await app.register(routes, { ctx })
}
