import type { Cache } from '../adapters/ports.ts'

export interface DegradingCacheOptions {
  /** Longest wait for the server, milliseconds. */
  timeoutMs?: number
  /** After a failure the server is left alone this long, so requests do not each wait out the timeout. */
  pauseMs?: number
  onFailure?: (error: unknown) => void
}

/**
 * The cache as the API uses it: a call that fails or times out reads as a miss, and a write is dropped. A cache
 * outage then costs speed (reads go to the read models and the log), never an answer.
 */
export function degradingCache(cache: Cache, { timeoutMs = 250, pauseMs = 2_000, onFailure }: DegradingCacheOptions = {}): Cache {
  let pausedUntil = 0
  const attempt = async <T>(operation: () => Promise<T>, fallback: T): Promise<T> => {
    if (Date.now() < pausedUntil) return fallback
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the cache did not answer within ${timeoutMs} ms`)), timeoutMs)
    })
    try {
      return await Promise.race([operation(), timeout])
    } catch (error) {
      pausedUntil = Date.now() + pauseMs
      onFailure?.(error)
      return fallback
    } finally {
      clearTimeout(timer)
    }
  }
  return {
    get: key => attempt(() => cache.get(key), null),
    set: (key, value, ttlSeconds) => attempt(() => cache.set(key, value, ttlSeconds), undefined),
    delete: key => attempt(() => cache.delete(key), undefined),
    close: () => cache.close(),
  }
}
