import { LRUCache } from 'lru-cache'
import type { KeyStore } from './ports.ts'

export interface KeyCacheOptions {
  max?: number
  /** Bounds how long another process may still decrypt with a key erased elsewhere. */
  ttlMs?: number
}

/**
 * Keeps recently used subject keys in memory. Erasing through this store evicts at once; only keys that
 * exist are cached, so a subject erased in another process reads as erased here within ttlMs.
 */
export const cachedKeyStore = (keys: KeyStore, { max = 10_000, ttlMs = 60_000 }: KeyCacheOptions = {}): KeyStore => {
  const cache = new LRUCache<string, Buffer>({ max, ttl: ttlMs })
  const remember = <Key extends Buffer | null>(subjectId: string, key: Key): Key => {
    if (key) cache.set(subjectId, key)
    return key
  }
  return {
    keyFor: async subjectId => cache.get(subjectId) ?? remember(subjectId, await keys.keyFor(subjectId)),
    find: async subjectId => cache.get(subjectId) ?? remember(subjectId, await keys.find(subjectId)),
    async delete(subjectId) {
      cache.delete(subjectId)
      await keys.delete(subjectId)
      // A read that began before the deletion may have cached the key meanwhile.
      cache.delete(subjectId)
    },
    async close() {
      cache.clear()
      await keys.close()
    },
  }
}
