/**
 * How projections write: through a unit of work that checks each apply or remove against the document as the
 * unit last left it (else as the store holds it) and keeps the result in memory until `commit` writes them all,
 * with the checkpoints they reached, in one batch. A document that many events in a row change is read, parsed
 * and written once. One unit per writer; the store's own position guards keep a second writer harmless.
 *
 * A store without transactions may fail halfway through a batch, which is then applied again. So that no event
 * is then skipped as applied while some of its writes are missing, collections are written in a given order:
 * a projection that takes one document's position as proof that an event is wholly applied lists the
 * collections of the event's other writes before it.
 */
import type { DocumentWrite, FindOptions, Page, ReadModelDoc, ReadModelStore } from './port.ts'

/** What a projection may do with the read models. */
export interface ProjectionStore {
  get<T extends ReadModelDoc>(collection: string, id: string): Promise<T | null>
  find<T extends ReadModelDoc>(collection: string, options: FindOptions): Promise<Page<T>>
  /**
   * Applies an event's effect on one document exactly once: skipped when the document already records a position
   * >= `position`. `update` gets the current document (null if none) and returns the next one (its `position`
   * is the event's), or null to leave it untouched.
   */
  apply<T extends ReadModelDoc>(collection: string, id: string, position: number, update: (current: T | null) => Omit<T, 'position'> | null): Promise<void>
  /**
   * Deletes a document, once: only while it records a position below `position`, so a replay finds it gone (or
   * newer) and changes nothing. No tombstone is kept: a later apply creates the id afresh, so a projection removes
   * only documents that no earlier event can write again (their writes are guarded by another document's position).
   */
  remove(collection: string, id: string, position: number): Promise<void>
}

const keyOf = (collection: string, id: string) => `${collection}\u0000${id}`

export class UnitOfWork implements ProjectionStore {
  private readonly pending = new Map<string, DocumentWrite>()

  /** Where each collection comes in the order of writes; any other comes after them. */
  private readonly ranks: ReadonlyMap<string, number>

  constructor(
    private readonly store: ReadModelStore,
    collectionOrder: readonly string[] = [],
  ) {
    this.ranks = new Map(collectionOrder.map((collection, rank) => [collection, rank]))
  }

  async get<T extends ReadModelDoc>(collection: string, id: string): Promise<T | null> {
    const write = this.pending.get(keyOf(collection, id))
    if (!write) return this.store.get<T>(collection, id)
    return write.doc as T | null
  }

  /** Commits the documents written so far first: the store alone can filter and sort. */
  async find<T extends ReadModelDoc>(collection: string, options: FindOptions): Promise<Page<T>> {
    if (this.pending.size > 0) await this.commit(new Map())
    return this.store.find<T>(collection, options)
  }

  async apply<T extends ReadModelDoc>(
    collection: string,
    id: string,
    position: number,
    update: (current: T | null) => Omit<T, 'position'> | null,
  ): Promise<void> {
    const current = await this.get<T>(collection, id)
    if (current && current.position >= position) return
    const next = update(current)
    if (next) this.pending.set(keyOf(collection, id), { collection, id, position, doc: { ...next, id, position } })
  }

  async remove(collection: string, id: string, position: number): Promise<void> {
    const current = await this.get(collection, id)
    if (current && current.position < position) this.pending.set(keyOf(collection, id), { collection, id, position, doc: null })
  }

  /** Writes what is pending with these checkpoints; on failure nothing pending is kept (see discard). */
  async commit(checkpoints: ReadonlyMap<string, number>): Promise<void> {
    const rank = (collection: string) => this.ranks.get(collection) ?? this.ranks.size
    const documents = [...this.pending.values()].sort((a, b) => rank(a.collection) - rank(b.collection))
    this.pending.clear()
    await this.store.write({ documents, checkpoints })
  }

  /** Forgets what is pending, after a failure: the events behind it are to be applied again. */
  discard(): void {
    this.pending.clear()
  }
}
