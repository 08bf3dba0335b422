import type { Cache } from './ports.ts'

export interface DegradingCacheOptions {
  /** Longest wait for the server, milliseconds. */
  timeoutMs?: number
  /** After a failure the server is left alone this long, so requests do not each wait out the timeout. */
  pauseMs?: number
  onFailure?: (error: unknown) => void
}

/**
 * A counter that could not be counted. Its kind answers 503 (http/errors.ts): what the counter guards (the login
 * lock-out) is refused while it is down, rather than left unguarded.
 */
export class CounterUnavailable extends Error {
  readonly kind = 'unavailable'
  constructor(cause: unknown) {
    super('this cannot be counted right now; try again shortly', { cause })
    this.name = 'CounterUnavailable'
  }
}

/**
 * The cache as the API uses it: a call that fails or times out reads as a miss, and a write is dropped. A cache
 * outage then costs speed (reads go to the read models and the log), never an answer.
 *
 * Except an increment, which fails closed: it rejects with CounterUnavailable, as a miss would read as a count
 * of 0, and a lock-out counted that way would never lock.
 */
export function degradingCache(cache: Cache, { timeoutMs = 250, pauseMs = 2_000, onFailure }: DegradingCacheOptions = {}): Cache {
  let pausedUntil = 0
  const attempt = async <T>(operation: () => Promise<T>, fallback: (error: unknown) => T): Promise<T> => {
    if (Date.now() < pausedUntil) return fallback(new Error('the cache failed moments ago'))
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the cache did not answer within ${timeoutMs} ms`)), timeoutMs)
    })
    try {
      return await Promise.race([operation(), timeout])
    } catch (error) {
      pausedUntil = Date.now() + pauseMs
      onFailure?.(error)
      return fallback(error)
    } finally {
      clearTimeout(timer)
    }
  }
  const miss = () => null
  const dropped = () => undefined
  const refused = (error: unknown): never => {
    throw new CounterUnavailable(error)
  }
  return {
    get: key => attempt(() => cache.get(key), miss),
    set: (key, value, ttlSeconds) => attempt(() => cache.set(key, value, ttlSeconds), dropped),
    increment: (key, ttlSeconds, by) => attempt(() => cache.increment(key, ttlSeconds, by), refused),
    // What it counts (scans, for clone detection) only warns: uncounted, a scan still answers.
    countDistinct: (key, member, window) => attempt(() => cache.countDistinct(key, member, window), () => 0),
    delete: key => attempt(() => cache.delete(key), dropped),
    close: () => cache.close(),
  }
}
