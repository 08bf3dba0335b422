/**
 * How projections write: through a unit of work that checks each apply or remove against the document as the
 * unit last left it (else as the store holds it) and keeps the result in memory until `commit` hands them all,
 * with the checkpoints they reached, to the store in one batch. A document that many events in a row change is
 * read, parsed and written once. Commits are written one after the other, and until a batch is written its
 * documents are still read from here: the projections go on applying while the store writes. One unit per
 * writer; the store's own position guards keep a second writer harmless.
 *
 * A store without transactions may fail halfway through a batch, which is then applied again. So that no event
 * is then skipped as applied while some of its writes are missing, collections are written in a given order:
 * a projection that takes one document's position as proof that an event is wholly applied lists the
 * collections of the event's other writes before it.
 */
import type { DocumentWrite, FindOptions, Page, ReadModelDoc, ReadModelStore } from './port.ts'

/** What a projection may do with the read models. */
export interface ProjectionStore {
  /** A document the unit holds comes as it is, not a copy: read it, do not change it; later patches may. */
  get<T extends ReadModelDoc>(collection: string, id: string): Promise<T | null>
  find<T extends ReadModelDoc>(collection: string, options: FindOptions): Promise<Page<T>>
  /**
   * Applies an event's effect on one document exactly once: skipped when the document already records a position
   * >= `position`. `update` gets the current document (null if none) and returns the next one (its `position`
   * is the event's), or null to leave it untouched.
   */
  apply<T extends ReadModelDoc>(collection: string, id: string, position: number, update: (current: T | null) => Omit<T, 'position'> | null): Promise<void>
  /**
   * Changes an existing document once, as apply does: `change` gets it and returns the fields to change. The unit
   * changes in place a document it has not committed yet: no copy for each of the events that change it in turn.
   */
  patch<T extends ReadModelDoc>(collection: string, id: string, position: number, change: (current: T) => Partial<Omit<T, 'id' | 'position'>>): Promise<void>
  /**
   * Writes the document an event creates, without reading what the store holds: of the two, the store keeps the
   * one that records the later position. Until the batch is written this unit reads this one, the document as of
   * the event, which is what the events after it expect when a batch is applied again. The unit takes `doc` as
   * it is, not a copy: hand it a new object.
   */
  create<T extends ReadModelDoc>(collection: string, position: number, doc: Omit<T, 'position'>): Promise<void>
  /**
   * Deletes a document, once: only while it records a position below `position`, so a replay finds it gone (or
   * newer) and changes nothing. No tombstone is kept: a later apply creates the id afresh, so a projection removes
   * only documents that no earlier event can write again (their writes are guarded by another document's position).
   */
  remove(collection: string, id: string, position: number): Promise<void>
}

/**
 * The document without the fields set to undefined, which the store does not keep (JSON has no undefined): a field
 * set later then comes last, where it comes in a document read back from the store, so that a document changed here
 * and one changed after a round trip through the store are stored alike, byte for byte.
 */
function defined<T extends object>(doc: T): T {
  for (const key in doc) if (doc[key] === undefined) delete doc[key]
  return doc
}

/** Writes by collection, then by id. */
type Writes = Map<string, Map<string, DocumentWrite>>

export class UnitOfWork implements ProjectionStore {
  private pending: Writes = new Map()
  /** Committed batches the store has not finished writing, oldest first. */
  private readonly writing: Writes[] = []
  /** The next commit is written after this one, and fails if it failed. */
  private lastCommit: Promise<void> = Promise.resolve()

  /** Where each collection comes in the order of writes; any other comes after them. */
  private readonly ranks: ReadonlyMap<string, number>

  constructor(
    private readonly store: ReadModelStore,
    collectionOrder: readonly string[] = [],
  ) {
    this.ranks = new Map(collectionOrder.map((collection, rank) => [collection, rank]))
  }

  async get<T extends ReadModelDoc>(collection: string, id: string): Promise<T | null> {
    const write = this.latest(collection, id)
    return write ? (write.doc as T | null) : this.store.get<T>(collection, id)
  }

  /** Commits the documents written so far first: the store alone can filter and sort. */
  async find<T extends ReadModelDoc>(collection: string, options: FindOptions): Promise<Page<T>> {
    await (this.pending.size > 0 ? this.commit(new Map()) : this.lastCommit)
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
    if (next) this.put(collection, id, position, defined(Object.assign({}, next, { id, position })))
  }

  async patch<T extends ReadModelDoc>(
    collection: string,
    id: string,
    position: number,
    change: (current: T) => Partial<Omit<T, 'id' | 'position'>>,
  ): Promise<void> {
    const own = this.pending.get(collection)?.get(id)
    if (!own?.doc) return this.apply<T>(collection, id, position, current => current && Object.assign({}, current, change(current)))
    if (own.position >= position) return
    const fields: Record<string, unknown> = change(own.doc as T)
    const doc: Record<string, unknown> = Object.assign(own.doc, fields)
    doc.position = position
    for (const key in fields) if (fields[key] === undefined) delete doc[key]
    own.position = position
  }

  async create<T extends ReadModelDoc>(collection: string, position: number, doc: Omit<T, 'position'>): Promise<void> {
    const current = this.latest(collection, doc.id)
    if (!current || current.position < position) this.put(collection, doc.id, position, defined(Object.assign(doc, { position })))
  }

  async remove(collection: string, id: string, position: number): Promise<void> {
    const current = await this.get(collection, id)
    if (current && current.position < position) this.put(collection, id, position, null)
  }

  /**
   * Hands what is pending, with these checkpoints, to the store: written once the commit before it is, and once
   * `ready` settles (effects outside the store that the checkpoints cover). It fails if either of them fails; the
   * caller then discards and applies the events again.
   */
  commit(checkpoints: ReadonlyMap<string, number>, ready?: Promise<unknown>): Promise<void> {
    const batch = this.pending
    this.pending = new Map()
    this.writing.push(batch)
    const previous = this.lastCommit
    const commit = (async () => {
      await Promise.all([previous, ready])
      await this.store.write({ documents: this.inOrder(batch), checkpoints })
      // A batch that failed stays readable until discard: the events after it were applied on top of it.
      const index = this.writing.indexOf(batch)
      if (index >= 0) this.writing.splice(index, 1)
    })()
    this.lastCommit = commit
    commit.catch(() => {}) // the caller is told; a later commit fails with it too
    return commit
  }

  /** Forgets what is pending or unwritten, after a failure: the events behind it are to be applied again. */
  discard(): void {
    this.pending = new Map()
    this.writing.length = 0
    this.lastCommit = Promise.resolve()
  }

  /** The unit's own version of a document: pending, else from the newest batch still being written. */
  private latest(collection: string, id: string): DocumentWrite | undefined {
    let write = this.pending.get(collection)?.get(id)
    for (let i = this.writing.length - 1; write === undefined && i >= 0; i--) write = this.writing[i]!.get(collection)?.get(id)
    return write
  }

  private put(collection: string, id: string, position: number, doc: ReadModelDoc | null): void {
    let writes = this.pending.get(collection)
    if (!writes) this.pending.set(collection, (writes = new Map()))
    writes.set(id, { collection, id, position, doc })
  }

  private inOrder(batch: Writes): DocumentWrite[] {
    const rank = (collection: string) => this.ranks.get(collection) ?? this.ranks.size
    return [...batch.keys()].sort((a, b) => rank(a) - rank(b)).flatMap(collection => [...batch.get(collection)!.values()])
  }
}
