import { LRUCache } from 'lru-cache'
import type { Cache } from '../ports.ts'

/**
 * The in-process cache. Bounded: under pressure the least recently used entries go first, so a token
 * revocation kept here lasts as long as `max` allows; size it above the number of tokens revoked per lifetime.
 */
export class MemoryCache implements Cache {
  readonly #entries: LRUCache<string, string>
  /** Per key of countDistinct, when each member was last seen (ms). */
  readonly #sightings: LRUCache<string, Map<string, number>>

  constructor({ max = 100_000 }: { max?: number } = {}) {
    this.#entries = new LRUCache({ max })
    this.#sightings = new LRUCache({ max })
  }

  async get(key: string): Promise<string | null> {
    return this.#entries.get(key) ?? null
  }

  async set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    this.#entries.set(key, value, ttlSeconds === undefined ? {} : { ttl: ttlSeconds * 1000 })
  }

  /** Atomic as it runs with no await between the read and the write. */
  async increment(key: string, ttlSeconds: number, by = 1): Promise<number> {
    const previous = this.#entries.get(key)
    const count = Number(previous ?? 0) + by
    if (!Number.isSafeInteger(count)) throw new Error(`${key} does not hold a counter`)
    // A counter keeps the expiry its first increment gave it; one set without a ttl gets one now, as in Redis.
    const remainingMs = previous !== undefined ? this.#entries.getRemainingTTL(key) : Infinity
    this.#entries.set(key, String(count), { ttl: Number.isFinite(remainingMs) ? remainingMs : ttlSeconds * 1000 })
    return count
  }

  async countDistinct(key: string, member: string, { windowMs, nowMs }: { windowMs: number; nowMs: number }): Promise<number> {
    const seen = this.#sightings.get(key) ?? new Map<string, number>()
    seen.set(member, nowMs)
    for (const [other, at] of seen) if (at <= nowMs - windowMs) seen.delete(other)
    this.#sightings.set(key, seen, { ttl: windowMs })
    return seen.size
  }

  async delete(key: string): Promise<void> {
    this.#entries.delete(key)
    this.#sightings.delete(key)
  }

  async close(): Promise<void> {
    this.#entries.clear()
    this.#sightings.clear()
  }
}
