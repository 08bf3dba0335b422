/**
 * Rate limits per client address (`request.ip`: the TCP peer, or X-Forwarded-For under TRUST_PROXY). Every route
 * takes `perMinute` requests a minute; the costly ones (`config: { rateLimit: app.costlyRateLimit }`) take
 * `costlyPerMinute` instead. Register and login share, besides, one budget of RATE_LIMIT_AUTH requests a minute:
 * routes take it with `onRequest: app.authRateLimit`. Counters live in @fastify/rate-limit's in-memory store unless
 * `store` names a shared one (a store class, e.g. adapters/rateLimitStore.ts's). A limited request gets 429 with
 * `retry-after`.
 *
 * The every-route budget is a callback hook of this file over the plugin's store rather than the plugin's own
 * (async) hook: the in-memory store answers at once, so an allowed request costs a map look-up and no promise.
 */
import fp from 'fastify-plugin'
import rateLimitPlugin, { type RateLimitOptions as RouteRateLimit, type RateLimitPluginOptions } from '@fastify/rate-limit'
import type { FastifyPluginAsync, onRequestHookHandler } from 'fastify'
import { HttpProblem } from './problem.ts'
import { memoryRateLimitCounters, type RateLimitCounters } from '../adapters/rateLimitStore.ts'

declare module 'fastify' {
  interface FastifyInstance {
    authRateLimit: onRequestHookHandler
    /** A route's `config.rateLimit` for the routes that cost the server most. */
    costlyRateLimit: RouteRateLimit
  }
}

export type RateLimitStoreOptions = Pick<RateLimitPluginOptions, 'store'>

export interface RateLimitOptions {
  authPerMinute: number
  perMinute: number
  costlyPerMinute: number
  store?: RateLimitStoreOptions
}

const MINUTE = 60_000
/** Only `retry-after`, on a 429: API.md promises no count headers. */
const NO_COUNT_HEADERS = { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false } as const

const tooManyRequests = (retryAfterSeconds: number) => new HttpProblem(429, 'Too Many Requests', `rate limit exceeded, retry in ${retryAfterSeconds} s`)

/** The budget of the routes without a `config.rateLimit` of their own, counted per address in `counters`. */
function everyRouteLimit(counters: RateLimitCounters, max: number): onRequestHookHandler {
  return (request, reply, done) => {
    counters.incr(request.ip, (error, counted) => {
      if (error) return done(error)
      if (counted!.current <= max) return done()
      const retryAfterSeconds = Math.ceil(counted!.ttl / 1000)
      reply.header('retry-after', retryAfterSeconds)
      done(tooManyRequests(retryAfterSeconds))
    }, MINUTE, max)
  }
}

const plugin: FastifyPluginAsync<RateLimitOptions> = async (app, { authPerMinute, perMinute, costlyPerMinute, store }) => {
  await app.register(rateLimitPlugin, {
    ...store,
    global: false,
    timeWindow: MINUTE,
    keyGenerator: request => request.ip,
    addHeaders: NO_COUNT_HEADERS,
    addHeadersOnExceeding: NO_COUNT_HEADERS,
    // The plugin has already set retry-after on the reply; errors.ts renders the problem.
    errorResponseBuilder: (_request, { ttl }) => tooManyRequests(Math.ceil(ttl / 1000)),
  })
  app.decorate('costlyRateLimit', { max: costlyPerMinute, timeWindow: MINUTE, keyGenerator: request => `costly:${request.ip}` })
  app.decorate('authRateLimit', app.rateLimit({ max: authPerMinute, timeWindow: MINUTE, keyGenerator: request => `auth:${request.ip}` }))

  const counters = store?.store ? (new store.store({ timeWindow: MINUTE, max: perMinute }) as unknown as RateLimitCounters) : memoryRateLimitCounters()
  const limit = everyRouteLimit(counters, perMinute)
  app.addHook('onRoute', route => {
    if (route.config?.rateLimit != null) return
    route.onRequest = [...(route.onRequest === undefined ? [] : [route.onRequest].flat()), limit]
  })
}

export const rateLimit = fp(plugin, { name: 'ptvem-rate-limit' })
