import { Redis } from 'ioredis'
import type { Cache } from '../ports.ts'

export interface RedisCacheOptions {
  url: string
  /** Keeps PTVEM's keys apart from anything else on the same server. */
  keyPrefix?: string
}

const INCREMENT = `
local count = redis.call('INCRBY', KEYS[1], ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[1], 'NX')
return count`

// A sorted set of members scored by when each was last seen: note this one, drop the stale, count, expire.
const COUNT_DISTINCT = `
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2] - ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return redis.call('ZCARD', KEYS[1])`

const distinctKey = (key: string) => `distinct:${key}`

export class RedisCache implements Cache {
  private constructor(readonly redis: Redis) {}

  /** Resolves once connected, so a wrong URL fails at start-up rather than on the first request. */
  static async connect({ url, keyPrefix = 'ptvem:' }: RedisCacheOptions): Promise<RedisCache> {
    const redis = new Redis(url, { keyPrefix, lazyConnect: true })
    // The failure reaches the caller as the rejection below, not as an unhandled 'error' event.
    const reported = () => {}
    redis.on('error', reported)
    try {
      await redis.connect()
      redis.off('error', reported)
    } catch (error) {
      // Otherwise ioredis keeps reconnecting in the background.
      redis.disconnect()
      throw new Error(`Redis is not reachable: ${(error as Error).message}`, { cause: error })
    }
    return new RedisCache(redis)
  }

  get(key: string): Promise<string | null> {
    return this.redis.get(key)
  }

  async set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    if (ttlSeconds === undefined) await this.redis.set(key, value)
    else await this.redis.set(key, value, 'EX', Math.max(1, Math.ceil(ttlSeconds)))
  }

  /**
   * INCRBY, then EXPIRE NX (only a counter without an expiry, i.e. the one just created, gets one), in one script:
   * atomic, and a key that holds no counter fails the INCRBY and is left as it was.
   */
  async increment(key: string, ttlSeconds: number, by = 1): Promise<number> {
    return (await this.redis.eval(INCREMENT, 1, key, Math.max(1, Math.ceil(ttlSeconds)), by)) as number
  }

  /** One script, so atomic. The set lives under a key of its own, apart from get/set/increment's. */
  async countDistinct(key: string, member: string, { windowMs, nowMs }: { windowMs: number; nowMs: number }): Promise<number> {
    return (await this.redis.eval(COUNT_DISTINCT, 1, distinctKey(key), member, nowMs, Math.max(1, Math.ceil(windowMs)))) as number
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(key, distinctKey(key))
  }

  async close(): Promise<void> {
    await this.redis.quit()
  }
}
