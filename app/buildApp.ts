/**
 * The HTTP application: Fastify with the shared plugins, then the command and query routes under /api. Building
 * it changes nothing anywhere: what a process does once at start-up (the first admin account) is app/run.ts's.
 */
import Fastify, { type FastifyBaseLogger, type FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { AppContext } from './context.ts'
import { registerBodyParsing } from '../http/bodies.ts'
import { registerErrorHandling } from '../http/errors.ts'
import { validation } from '../http/validation.ts'
import { bodyDeadline, serverTimeouts } from '../http/timeouts.ts'
import { auth } from '../http/auth.ts'
import { requestTime } from '../http/commandContext.ts'
import { docs } from '../http/docs.ts'
import { securityHeaders } from '../http/securityHeaders.ts'
import { strictQuery } from '../http/strictQuery.ts'
import { metrics } from '../http/metrics.ts'
import { rateLimit, type RateLimitStoreOptions } from '../http/rateLimit.ts'
import { currentRoles } from '../command-api/users/roles.ts'
import { operations } from '../query-api/operations.ts'
import { createLogger } from './logger.ts'
import { requestIds } from './ids.ts'
import packageJson from '../package.json' with { type: 'json' }

export interface BuildAppOptions {
  /** Defaults to a new logger at config.logLevel. */
  log?: FastifyBaseLogger
  /** Where rate-limit counters live; in memory by default. */
  rateLimitStore?: RateLimitStoreOptions
  /** The route groups this process answers besides /health, /ready, /metrics (unless on METRICS_PORT) and /docs; both by default. */
  serves?: readonly RouteGroup[]
}

export type RouteGroup = 'commands' | 'queries'

const BODY_LIMIT_BYTES = 1024 * 1024

export async function buildApp(ctx: AppContext, options: BuildAppOptions = {}) {
  const app = Fastify({
    loggerInstance: options.log ?? createLogger(ctx.config.logLevel),
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: requestIds(ctx.newId),
    trustProxy: ctx.config.trustProxy,
    ...serverTimeouts(ctx.config.limits.timeouts),
    ...validation,
  }).withTypeProvider<TypeBoxTypeProvider>()

  registerErrorHandling(app)
  registerBodyParsing(app)
  await app.register(bodyDeadline, { requestMs: ctx.config.limits.timeouts.request })
  await app.register(securityHeaders)
  await app.register(strictQuery)
  await app.register(requestTime, { ctx })
  await app.register(auth, { ctx, currentRoles: userId => currentRoles(ctx, userId) })
  await app.register(rateLimit, { authPerMinute: ctx.config.rateLimitAuth, ...ctx.config.rateLimit, store: options.rateLimitStore })
  await app.register(docs, { version: packageJson.version })
  await app.register(metrics, { serve: ctx.config.metricsPort === undefined })
  const { serves = ['commands', 'queries'] } = options
  // Each group's modules load only in a process that serves it.
  if (serves.includes('commands')) {
    const { commandApi } = await import('../command-api/index.ts')
    await app.register(commandApi, { ctx, prefix: '/api' })
  }
  if (serves.includes('queries')) {
    const [{ publicPages, queryApi, resolverRoutes }, { watchScans }, { scanAnomalyRecorder }, { noteScanWhileReported }] = await Promise.all([
      import('../query-api/index.ts'),
      import('../query-api/scans/scanWatch.ts'),
      import('../command-api/scans/scanAnomaly.ts'),
      import('../command-api/protection/scanNotice.ts'),
    ])
    app.decorate('noteScanWhileReported', (request: FastifyRequest, productId: string) => noteScanWhileReported(ctx, request, productId))
    watchScans(ctx, scanAnomalyRecorder(ctx))
    await app.register(queryApi, { ctx, prefix: '/api' })
    await app.register(publicPages, { ctx })
    await app.register(resolverRoutes, { ctx })
  }
  await app.register(operations, { ctx })
  return app
}
