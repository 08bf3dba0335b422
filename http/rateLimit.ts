/**
 * Rate limits per client address. Register and login share one budget of RATE_LIMIT_AUTH requests a
 * minute: routes take it with `onRequest: app.authRateLimit`. Counters live in @fastify/rate-limit's
 * in-memory store unless `store` names a shared one (its `redis` option, or a custom store class).
 */
import fp from 'fastify-plugin'
import rateLimitPlugin, { type RateLimitPluginOptions } from '@fastify/rate-limit'
import type { FastifyPluginAsync, onRequestHookHandler } from 'fastify'
import { HttpProblem } from './problem.ts'

declare module 'fastify' {
  interface FastifyInstance {
    authRateLimit: onRequestHookHandler
  }
}

export type RateLimitStoreOptions = Pick<RateLimitPluginOptions, 'store' | 'redis' | 'nameSpace'>

export interface RateLimitOptions {
  authPerMinute: number
  store?: RateLimitStoreOptions
}

const plugin: FastifyPluginAsync<RateLimitOptions> = async (app, { authPerMinute, store }) => {
  await app.register(rateLimitPlugin, {
    ...store,
    global: false,
    // The plugin has already set retry-after on the reply; errors.ts renders the problem.
    errorResponseBuilder: (_request, { after }) => new HttpProblem(429, 'Too Many Requests', `rate limit exceeded, retry in ${after}`),
  })
  app.decorate('authRateLimit', app.rateLimit({ max: authPerMinute, timeWindow: 60_000, keyGenerator: request => `auth:${request.ip}` }))
}

export const rateLimit = fp(plugin, { name: 'ptvem-rate-limit' })
