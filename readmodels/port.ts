/**
 * The read-model port: documents in named collections, written only by projections and read by the query
 * API. Implementations: SQLite tables of JSON documents (readmodels/sqlite) embedded, MongoDB in production.
 * Both pass readmodels/testing/readModelStore.contract.ts.
 */

/** Every document records the log position of the last event applied to it. */
export interface ReadModelDoc {
  id: string
  position: number
}

export type FieldValue = string | number | boolean | null

/** Equality, a range, or membership, on a top-level or dotted field (`price.amount`). */
export type Condition = FieldValue | { gte?: string | number; lte?: string | number } | { in: FieldValue[] }

export interface FindOptions {
  where?: Record<string, Condition>
  /** A field, `-field` for descending; ties break on id, in the same direction. Defaults to id. Null and missing
   *  values sort before numbers, numbers before strings. */
  sort?: string
  /** 1..100; anything else is a RangeError. */
  limit: number
  /** Opaque, from a previous page's nextCursor with the same where and sort. */
  cursor?: string
}

export interface Page<T> {
  items: T[]
  nextCursor: string | null
}

/** A document as it is to be stored (its id and position those of the write), or null to remove it, as of the event at `position`. */
export interface DocumentWrite {
  collection: string
  id: string
  position: number
  doc: ReadModelDoc | null
}

export interface WriteBatch {
  documents: readonly DocumentWrite[]
  /** Positions applied, by projection. */
  checkpoints: ReadonlyMap<string, number>
}

export interface ReadModelStore {
  /** Declares the fields a collection is queried and sorted on; called once at start. */
  ensureIndexes(collection: string, indexes: readonly (readonly string[])[]): Promise<void>
  get<T extends ReadModelDoc>(collection: string, id: string): Promise<T | null>
  find<T extends ReadModelDoc>(collection: string, options: FindOptions): Promise<Page<T>>
  /**
   * Writes documents and checkpoints together: SQLite in one transaction, MongoDB documents first, then
   * checkpoints. A document write lands only over a document recording an earlier position (or none); a removal
   * only deletes a document recording an earlier position, and keeps no tombstone. So a batch written again
   * after a crash changes nothing, and neither does a slower writer behind a faster one.
   */
  write(batch: WriteBatch): Promise<void>
  getCheckpoint(projection: string): Promise<number>
  setCheckpoint(projection: string, position: number): Promise<void>
  /** Removes a collection's documents (rebuilds start from an empty collection). */
  drop(collection: string): Promise<void>
  close(): Promise<void>
}

/** The read models' server cannot be reached. Its kind answers 503 (http/errors.ts): the client may try again shortly. */
export class ReadModelsUnavailable extends Error {
  readonly kind = 'unavailable'
  constructor(cause: unknown) {
    super('the read models are not answering; try again shortly', { cause })
    this.name = 'ReadModelsUnavailable'
  }
}

export class InvalidCursor extends Error {
  constructor() {
    super('cursor is not valid for this query')
    this.name = 'InvalidCursor'
  }
}
