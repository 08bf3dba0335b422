/**
 * Every read of the HTTP contract. `queryApi` goes under /api; `publicPages` (what a scanned QR code opens)
 * and `operations` (/health, /ready) go at the root.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext } from '../app/context.ts'
import { LiveStreams } from './live/liveStreams.ts'
import { minPositionHook } from './minPosition.ts'
import { auditRoutes } from './routes/audit.ts'
import { batchRoutes } from './batches/routes.ts'
import { brandRoutes } from './routes/brands.ts'
import { collectionRoutes } from './routes/collections.ts'
import { epcisRoutes } from './epcis/routes.ts'
import { historyRoutes } from './routes/history.ts'
import { liveRoutes } from './routes/live.ts'
import { mediaRoutes } from './routes/media.ts'
import { notificationRoutes } from './routes/notifications.ts'
import { ownershipRoutes } from './routes/ownership.ts'
import { ownershipProofRoutes } from './routes/ownershipProofs.ts'
import { passportRoutes } from './routes/passport.ts'
import { productRoutes } from './routes/products.ts'
import { resaleRoutes } from './routes/resale.ts'
import { storyRoutes } from './routes/stories.ts'
import { webhookRoutes } from './routes/webhooks.ts'

export { operations } from './operations.ts'
export { publicPages } from './page/routes.ts'
export { resolverRoutes } from './resolver/routes.ts'

export interface QueryApiOptions {
  ctx: AppContext
  /** Comment lines on open live streams keep proxies from closing them; 15 s unless given. */
  heartbeatMs?: number
}

export const queryApi: FastifyPluginAsyncTypebox<QueryApiOptions> = async (app, { ctx, heartbeatMs = 15_000 }) => {
  app.addHook('onRequest', minPositionHook(ctx))
  const { limits } = ctx.config
  const live = new LiveStreams(ctx, {
    heartbeatMs,
    idleMs: limits.liveIdleMs,
    perAddress: limits.liveStreamsPerAddress,
    perProcess: limits.liveStreamsPerProcess,
    log: app.log,
  })
  app.addHook('preClose', async () => live.closeAll())

  const routePlugins = [
    brandRoutes,
    collectionRoutes,
    productRoutes,
    batchRoutes,
    historyRoutes,
    ownershipRoutes,
    ownershipProofRoutes,
    storyRoutes,
    mediaRoutes,
    resaleRoutes,
    notificationRoutes,
    auditRoutes,
    epcisRoutes,
    passportRoutes,
    webhookRoutes,
  ]
  for (const routes of routePlugins) {
    await app.register(routes, { ctx })
  }
  await app.register(liveRoutes, { live })
}
