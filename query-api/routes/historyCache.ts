/**
 * Products' public histories, kept until the log says they changed, so that reading one again reads nothing. The
 * cache follows the log (followLog) and drops a product on any event of its stream or of the user stream of anyone
 * its history shows: its owners (display names, erasures), its brand (the verifications shown among its events)
 * and its stories' authors (an erased author's story text reads as null). An entry is stored only if the read
 * models had applied every event the cache had seen when it was read, and no event of those streams came in
 * meanwhile; it is served only to a request at a log position the cache has seen. A cache that loses the log
 * empties itself and serves nothing until it follows again.
 *
 * An erasure appends UserErased before it deletes the user's key (command-api/users/erase.ts), with no event
 * after: a history read in between still shows the author's text, so it is not stored while an author the cache
 * saw erased still has a key.
 */
import { LRUCache } from 'lru-cache'
import type { AppContext } from '../../app/context.ts'
import { streams } from '../../domain/ids.ts'
import type { RecordedEvent } from '../../eventlog/port.ts'
import { passportOf, type Passport } from '../passport/load.ts'
import { presentWithProvenance } from '../passport/provenance.ts'
import type { PublicEvent } from '../passport/publicEvent.ts'
import type { LogObserver } from '../views/scanCache.ts'

export interface PublicHistory {
  passport: Passport
  /** The events the public sees, in log order. */
  events: PublicEvent[]
}

interface Read {
  history: PublicHistory
  /** Everyone whose user stream changes what the history shows. */
  users: string[]
  /** The stories' authors whose key opened their text; the others' text is null for good. */
  authorsWithKeys: string[]
  authorsErased: string[]
}

const PRODUCT_STREAM = 'product-'
const USER_STREAM = 'user-'
/** In the streams seen while a read was in flight: the cache lost the log meanwhile. */
const LOG_LOST = ''
/** Erasures remembered until the cache finds their key gone. */
const ERASURES_REMEMBERED = 10_000

const authorsOf = (events: readonly RecordedEvent[]): string[] => [
  ...new Set(events.flatMap(({ data }) => (typeof data.authorId === 'string' && 'storyId' in data ? [data.authorId] : []))),
]

/** The product's public history read from the log; null when the product does not exist. */
async function readHistory(ctx: AppContext, productId: string): Promise<Read | null> {
  const stream = streams.product(productId)
  let events = await ctx.eventLog.readStream(stream)
  const authors = authorsOf(events)
  const keys = await Promise.all(authors.map(author => ctx.keys.find(author)))
  // Keys are only ever deleted: one gone after the events were read leaves its author's text open in them; read
  // again, the text is null for good.
  if (keys.includes(null)) events = await ctx.eventLog.readStream(stream, { maxCount: events.length })
  const passport = await passportOf(ctx, productId, events)
  if (!passport) return null
  const { owners, brandId } = passport.state
  return {
    history: { passport, events: await presentWithProvenance(ctx, passport) },
    users: [...new Set([...owners.map(({ ownerId }) => ownerId), brandId, ...authors])],
    authorsWithKeys: authors.filter((_, i) => keys[i] !== null),
    authorsErased: authors.filter((_, i) => keys[i] === null),
  }
}

export class HistoryCache implements LogObserver {
  private readonly entries: LRUCache<string, Read>
  /** Per user, the cached products whose history shows them. */
  private readonly shownIn = new Map<string, Set<string>>()
  /** Users seen erased in the log whose key may still exist. */
  private readonly erased = new LRUCache<string, true>({ max: ERASURES_REMEMBERED })
  /** Per read in flight, the streams of the events seen since it began. */
  private readonly reads = new Set<Set<string>>()
  /** The log position of the last event seen; null while the cache does not follow the log. */
  private seen: number | null = null

  constructor(
    private readonly ctx: AppContext,
    capacity: number,
  ) {
    // However an entry goes (evicted, dropped, replaced), no user lists it any more.
    this.entries = new LRUCache({ max: capacity, dispose: ({ users }, productId) => users.forEach(userId => this.unlist(userId, productId)) })
  }

  /** null when the product does not exist. */
  async load(productId: string, minPosition = 0): Promise<PublicHistory | null> {
    const cached = this.seen !== null && this.seen >= minPosition ? this.entries.get(productId) : undefined
    return cached?.history ?? this.read(productId)
  }

  observe({ streamId, type, position }: Pick<RecordedEvent, 'streamId' | 'type' | 'position'>): void {
    for (const seenSince of this.reads) seenSince.add(streamId)
    if (streamId.startsWith(PRODUCT_STREAM)) this.entries.delete(streamId.slice(PRODUCT_STREAM.length))
    else if (streamId.startsWith(USER_STREAM)) {
      const userId = streamId.slice(USER_STREAM.length)
      if (type === 'UserErased') this.erased.set(userId, true)
      for (const productId of [...(this.shownIn.get(userId) ?? [])]) this.entries.delete(productId)
    }
    this.seen = position
  }

  reset(position: number | null): void {
    for (const seenSince of this.reads) seenSince.add(LOG_LOST)
    this.entries.clear()
    this.seen = position
  }

  private async read(productId: string): Promise<PublicHistory | null> {
    const seenAtRead = this.seen
    const seenSince = new Set<string>()
    this.reads.add(seenSince)
    try {
      const readModelsCaughtUp = seenAtRead !== null && (await this.ctx.waitForPosition(seenAtRead, 0))
      const read = await readHistory(this.ctx, productId)
      if (!read) return null
      read.authorsErased.forEach(authorId => this.erased.delete(authorId))
      if (readModelsCaughtUp && this.stillTrue(read, productId, seenSince)) this.store(productId, read)
      return read.history
    } finally {
      this.reads.delete(seenSince)
    }
  }

  private stillTrue(read: Read, productId: string, seenSince: ReadonlySet<string>): boolean {
    const changed = [LOG_LOST, streams.product(productId), ...read.users.map(streams.user)].some(stream => seenSince.has(stream))
    return !changed && !read.authorsWithKeys.some(authorId => this.erased.has(authorId))
  }

  private store(productId: string, read: Read): void {
    this.entries.set(productId, read)
    for (const userId of read.users) {
      let shown = this.shownIn.get(userId)
      if (!shown) this.shownIn.set(userId, (shown = new Set()))
      shown.add(productId)
    }
  }

  private unlist(userId: string, productId: string): void {
    const shown = this.shownIn.get(userId)
    shown?.delete(productId)
    if (shown?.size === 0) this.shownIn.delete(userId)
  }
}
