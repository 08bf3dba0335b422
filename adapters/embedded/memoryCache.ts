import { LRUCache } from 'lru-cache'
import type { Cache } from '../ports.ts'

/**
 * The in-process cache. Bounded: under pressure the least recently used entries go first, so a token
 * revocation kept here lasts as long as `max` allows; size it above the number of tokens revoked per lifetime.
 */
export class MemoryCache implements Cache {
  readonly #entries: LRUCache<string, string>

  constructor({ max = 100_000 }: { max?: number } = {}) {
    this.#entries = new LRUCache({ max })
  }

  async get(key: string): Promise<string | null> {
    return this.#entries.get(key) ?? null
  }

  async set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    this.#entries.set(key, value, ttlSeconds === undefined ? {} : { ttl: ttlSeconds * 1000 })
  }

  async delete(key: string): Promise<void> {
    this.#entries.delete(key)
  }

  async close(): Promise<void> {
    this.#entries.clear()
  }
}
