/**
 * The JSON of recently scanned products, so that scanning a product again reads and serialises nothing: per code
 * scanned, the scan's JSON but for the time of the check; per product, least recently scanned out first.
 *
 * The cache follows the log (see followLog) and drops a product on any event of its stream, of its current
 * owner's (a new name, an erasure) or of its brand's (a verification revoked). An entry is stored only if the read models had applied every event the cache
 * had seen when they were read, and no event came in meanwhile; it is served only to a request whose
 * x-min-position the cache has seen. A cache that loses the log empties itself and serves nothing until it
 * follows again.
 */
import type { FastifyInstance } from 'fastify'
import { LRUCache } from 'lru-cache'
import { Backoff } from '../../eventlog/follow.ts'
import type { EventLog, RecordedEvent } from '../../eventlog/port.ts'

export interface CachedScan {
  ownerId: string
  /** Its brand's verification changes the verdict: an event of the brand's stream drops the entry too. */
  brandId: string
  /** Per code seen issued for the product (checked once each), the scan's JSON up to the time of the check. */
  scans: Map<string, string>
}

const PRODUCT_STREAM = 'product-'
const USER_STREAM = 'user-'
/** Waits before following the log again after a failure, doubled each time. */

export class ScanCache {
  /** Null when the capacity is 0: nothing is kept. */
  private readonly entries: LRUCache<string, CachedScan> | null
  private readonly byOwner = new Map<string, Set<string>>()
  /** The log position of the last event seen; null while the cache does not follow the log. */
  private seen: number | null = null

  constructor(capacity: number) {
    // However an entry goes (evicted, dropped, replaced), its owner no longer lists it.
    this.entries =
      capacity > 0
        ? new LRUCache({
            max: capacity,
            dispose: (entry, productId) => {
              this.disown(entry.ownerId, productId)
              this.disown(entry.brandId, productId)
            },
          })
        : null
  }

  /** What the cache has seen of the log: a fill must start from read models that applied it. */
  get position(): number | null {
    return this.seen
  }

  get(productId: string, minPosition = 0): CachedScan | undefined {
    if (this.seen === null || this.seen < minPosition) return undefined
    return this.entries?.get(productId)
  }

  /** Stores a scan read when the cache stood at `seenAtRead`; ignored if an event came in since. */
  set(productId: string, entry: CachedScan, seenAtRead: number): void {
    if (!this.entries || this.seen === null || this.seen !== seenAtRead) return
    this.entries.set(productId, entry)
    this.ownedBy(entry.ownerId).add(productId)
    this.ownedBy(entry.brandId).add(productId)
  }

  observe({ streamId, position }: Pick<RecordedEvent, 'streamId' | 'position'>): void {
    if (streamId.startsWith(PRODUCT_STREAM)) this.entries?.delete(streamId.slice(PRODUCT_STREAM.length))
    else if (streamId.startsWith(USER_STREAM)) for (const productId of [...(this.byOwner.get(streamId.slice(USER_STREAM.length)) ?? [])]) this.entries?.delete(productId)
    this.seen = position
  }

  /** Empty, following the log from `position` (null: not following). */
  reset(position: number | null): void {
    this.entries?.clear()
    this.seen = position
  }

  private disown(ownerId: string, productId: string): void {
    const owned = this.byOwner.get(ownerId)
    owned?.delete(productId)
    if (owned?.size === 0) this.byOwner.delete(ownerId)
  }

  private ownedBy(ownerId: string): Set<string> {
    let owned = this.byOwner.get(ownerId)
    if (!owned) this.byOwner.set(ownerId, (owned = new Set()))
    return owned
  }
}

/** A cache kept in step with the log by followLog. */
export interface LogObserver {
  observe(event: RecordedEvent): void
  /** Empty, following the log from `position` (null: not following). */
  reset(position: number | null): void
}

/** Keeps the cache in step with the log, from its head, until the signal aborts; after a failure it starts over. */
export async function followLog(cache: LogObserver, log: EventLog, signal: AbortSignal, onError: (error: unknown) => void): Promise<void> {
  const backoff = new Backoff()
  while (!signal.aborted) {
    try {
      const head = await log.headPosition()
      cache.reset(head)
      for await (const event of log.subscribe({ after: head, signal })) {
        cache.observe(event)
        backoff.succeeded()
      }
    } catch (error) {
      if (!signal.aborted) onError(error)
    }
    cache.reset(null)
    await backoff.wait(signal)
  }
}

/** Follows the log into `cache` from when the app is ready until it closes; `name` says which cache in the log. */
export function followLogWhileUp(app: FastifyInstance, cache: LogObserver, log: EventLog, name: string): void {
  const following = new AbortController()
  let follower: Promise<void> | undefined
  app.addHook('onReady', async () => {
    follower = followLog(cache, log, following.signal, error => app.log.error({ err: error }, `the ${name} lost the log`))
  })
  app.addHook('preClose', async () => {
    following.abort()
    await follower
  })
}
