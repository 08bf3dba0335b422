/**
 * Products' public histories, kept per (product, stream revision): the log is immutable, so a revision names its
 * events for good, and a consent change or a transfer appends an event, which moves the revision on. Two things
 * a revision does not cover are checked on every read: the display names of the owners who show themselves (the
 * users read model), the keys of the stories' authors (an erased author's story text reads as null once
 * their key is gone, with no event in the product's stream), and the revision of the brand's stream, whose
 * verifications are shown among the product's events. A hit reads one event and those few documents, and
 * folds and presents nothing.
 */
import { LRUCache } from 'lru-cache'
import type { AppContext } from '../../app/context.ts'
import { streams } from '../../domain/ids.ts'
import type { RecordedEvent } from '../../eventlog/port.ts'
import { keyId } from '../../adapters/sealedBox.ts'
import type { ProductState } from '../../domain/product/index.ts'
import { foldProduct } from '../../shared/foldProduct.ts'
import { passportOf, type Passport } from '../passport/load.ts'
import { presentWithProvenance } from '../passport/provenance.ts'
import type { PublicEvent } from '../passport/publicEvent.ts'

export interface PublicHistory {
  passport: Passport
  /** The events the public sees, in log order. */
  events: PublicEvent[]
}

interface Entry {
  events: RecordedEvent[]
  state: ProductState
  /** The key id of each story author when the events were read; null: erased. */
  authorKeys: string
  /** The last presentation, with the display names and the brand stream's revision it was made with. */
  shown?: { made: string; history: PublicHistory }
}

const authorsOf = (events: readonly RecordedEvent[]): string[] => [
  ...new Set(events.flatMap(({ data }) => (typeof data.authorId === 'string' && 'storyId' in data ? [data.authorId] : []))),
]

export class HistoryCache {
  private readonly entries: LRUCache<string, Entry>

  constructor(
    private readonly ctx: AppContext,
    capacity: number,
  ) {
    this.entries = new LRUCache({ max: capacity })
  }

  /** null when the product does not exist. */
  async load(productId: string): Promise<PublicHistory | null> {
    const stream = streams.product(productId)
    const [last] = await this.ctx.eventLog.readStream(stream, { direction: 'backwards', maxCount: 1 })
    if (!last) return null
    const key = `${productId}@${last.revision}`
    let entry = this.entries.get(key)
    if (entry && (await this.authorKeys(entry.events)) !== entry.authorKeys) entry = undefined
    if (!entry) {
      entry = await this.read(stream)
      // A longer stream read than the revision seen first is kept under its own revision.
      this.entries.set(`${productId}@${entry.events.length - 1}`, entry)
    }
    const passport = await passportOf(this.ctx, productId, entry.events, entry.state)
    if (!passport) return null
    const made = `${passport.people.fingerprint}|${await this.brandRevision(entry.state.brandId)}`
    if (entry.shown?.made !== made) {
      entry.shown = { made, history: { passport, events: await presentWithProvenance(this.ctx, passport) } }
    }
    return entry.shown.history
  }

  /**
   * Keys are only ever deleted: the ids read after the events match what decrypted them, unless a key went
   * meanwhile, and then the events are read again, with that author's text now null for good.
   */
  private async read(stream: string): Promise<Entry> {
    let events = await this.ctx.eventLog.readStream(stream)
    const authorKeys = await this.authorKeys(events)
    if (authorKeys.includes('null')) events = await this.ctx.eventLog.readStream(stream, { maxCount: events.length })
    return { events, state: foldProduct(events), authorKeys }
  }

  /** The brand's verifications are shown among the product's events (passport/provenance.ts) and change apart from it. */
  private async brandRevision(brandId: string): Promise<number> {
    const [last] = await this.ctx.rawEventLog.readStream(streams.user(brandId), { direction: 'backwards', maxCount: 1 })
    return last?.revision ?? -1
  }

  private async authorKeys(events: readonly RecordedEvent[]): Promise<string> {
    const authors = authorsOf(events)
    const keys = await Promise.all(authors.map(author => this.ctx.keys.find(author)))
    return JSON.stringify(keys.map(key => (key ? keyId(key) : null)))
  }
}
