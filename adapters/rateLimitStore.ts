/**
 * Rate-limit counters in Redis, shared by every instance, through @fastify/rate-limit's own Redis store. A
 * request the shared store cannot count (Redis away) is counted by the instance alone, in the plugin's own
 * memory store, rather than failed or let through uncounted.
 */
import { createRequire } from 'node:module'
import type { FastifyRateLimitStoreCtor, RateLimitOptions } from '@fastify/rate-limit'
import type { Redis } from 'ioredis'

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void

/** @fastify/rate-limit's store: counts a hit on a key and calls back with the count and the window's ms left. */
export interface RateLimitCounters {
  incr(key: string, callback: Callback, timeWindow?: number, max?: number): void
  child(routeOptions: object): RateLimitCounters
}

// The plugin builds these itself from its `redis` option but exports neither.
const require = createRequire(import.meta.url)
const RedisStore: new (continueExceeding: boolean | undefined, exponentialBackoff: boolean | undefined, redis: Redis, key: string) => RateLimitCounters =
  require('@fastify/rate-limit/store/RedisStore.js')
const LocalStore: new (continueExceeding: boolean | undefined, exponentialBackoff: boolean | undefined) => RateLimitCounters =
  require('@fastify/rate-limit/store/LocalStore.js')

class FallingBack implements RateLimitCounters {
  constructor(
    private readonly shared: RateLimitCounters,
    private readonly local: RateLimitCounters,
  ) {}

  incr(key: string, callback: Callback, timeWindow?: number, max?: number): void {
    this.shared.incr(key, (error, result) => (error ? this.local.incr(key, callback, timeWindow, max) : callback(null, result)), timeWindow, max)
  }

  child(routeOptions: object): RateLimitCounters {
    return new FallingBack(this.shared.child(routeOptions), this.local.child(routeOptions))
  }
}

export const sharedRateLimitStore = (redis: Redis, nameSpace: string): FastifyRateLimitStoreCtor =>
  class extends FallingBack {
    constructor({ continueExceeding, exponentialBackoff }: RateLimitOptions) {
      super(new RedisStore(continueExceeding, exponentialBackoff, redis, nameSpace), new LocalStore(continueExceeding, exponentialBackoff))
    }
  }

/** The plugin's in-memory store (an LRU of 5,000 keys), which calls back at once. */
export const memoryRateLimitCounters = (): RateLimitCounters => new LocalStore(false, false)
