/** The HTTP application: Fastify with the shared plugins, then the command and query routes under /api. */
import Fastify, { type FastifyServerOptions } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { AppContext } from './context.ts'
import { registerBodyParsing } from '../http/bodies.ts'
import { registerErrorHandling } from '../http/errors.ts'
import { auth } from '../http/auth.ts'
import { requestTime } from '../http/commandContext.ts'
import { docs } from '../http/docs.ts'
import { metrics } from '../http/metrics.ts'
import { rateLimit, type RateLimitStoreOptions } from '../http/rateLimit.ts'
import { commandApi } from '../command-api/index.ts'
import { bootstrapAdmin } from './bootstrapAdmin.ts'

export interface BuildAppOptions {
  /** Defaults to pino at config.logLevel; tests pass false. */
  logger?: FastifyServerOptions['logger']
  /** Where rate-limit counters live; in memory by default. */
  rateLimitStore?: RateLimitStoreOptions
}

const BODY_LIMIT_BYTES = 1024 * 1024

// Fastify's request serializer never logs headers or bodies; these paths guard anything logged by hand.
const redact = ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.passwordHash', '*.accessToken']

export async function buildApp(ctx: AppContext, options: BuildAppOptions = {}) {
  const app = Fastify({
    logger: options.logger ?? { level: ctx.config.logLevel, redact: { paths: redact, censor: '[redacted]' } },
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: () => ctx.newId(),
    // Fastify's default strips unknown properties; we want them refused (400).
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>()

  registerErrorHandling(app)
  registerBodyParsing(app)
  await app.register(requestTime, { ctx })
  await app.register(auth, { ctx })
  await app.register(rateLimit, { authPerMinute: ctx.config.rateLimitAuth, store: options.rateLimitStore })
  await app.register(docs, { version: process.env.npm_package_version ?? '0.1.0' })
  await app.register(metrics)
  await app.register(commandApi, { ctx, prefix: '/api' })

  await bootstrapAdmin(ctx, app.log)
  return app
}
