/**
 * Rate limits per client address (`request.ip`: the TCP peer, or X-Forwarded-For under TRUST_PROXY). Every route
 * takes `perMinute` requests a minute; the costly ones (`config: { rateLimit: app.costlyRateLimit }`) take
 * `costlyPerMinute` instead. Register and login share, besides, one budget of RATE_LIMIT_AUTH requests a minute:
 * routes take it with `onRequest: app.authRateLimit`. Counters live in @fastify/rate-limit's in-memory store unless
 * `store` names a shared one (its `redis` option, or a custom store class).
 */
import fp from 'fastify-plugin'
import rateLimitPlugin, { type RateLimitOptions as RouteRateLimit, type RateLimitPluginOptions } from '@fastify/rate-limit'
import type { FastifyPluginAsync, onRequestHookHandler } from 'fastify'
import { HttpProblem } from './problem.ts'

declare module 'fastify' {
  interface FastifyInstance {
    authRateLimit: onRequestHookHandler
    /** A route's `config.rateLimit` for the routes that cost the server most. */
    costlyRateLimit: RouteRateLimit
  }
}

export type RateLimitStoreOptions = Pick<RateLimitPluginOptions, 'store' | 'redis' | 'nameSpace'>

export interface RateLimitOptions {
  authPerMinute: number
  perMinute: number
  costlyPerMinute: number
  store?: RateLimitStoreOptions
}

const MINUTE = 60_000

const plugin: FastifyPluginAsync<RateLimitOptions> = async (app, { authPerMinute, perMinute, costlyPerMinute, store }) => {
  await app.register(rateLimitPlugin, {
    ...store,
    global: true,
    max: perMinute,
    timeWindow: MINUTE,
    keyGenerator: request => request.ip,
    // The plugin has already set retry-after on the reply; errors.ts renders the problem.
    errorResponseBuilder: (_request, { after }) => new HttpProblem(429, 'Too Many Requests', `rate limit exceeded, retry in ${after}`),
  })
  app.decorate('costlyRateLimit', { max: costlyPerMinute, timeWindow: MINUTE, keyGenerator: request => `costly:${request.ip}` })
  app.decorate('authRateLimit', app.rateLimit({ max: authPerMinute, timeWindow: MINUTE, keyGenerator: request => `auth:${request.ip}` }))
}

export const rateLimit = fp(plugin, { name: 'ptvem-rate-limit' })
