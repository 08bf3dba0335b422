/**
 * The production read-model store: one MongoDB collection per read-model collection (`rm_{collection}`), the
 * document id as `_id`, every other field as stored, so indexes and filters reach nested fields directly.
 * Checkpoints live in `projection_checkpoints`. No transactions: a batch is written collection by collection,
 * then the checkpoints; see `write` for how, and why so on a MongoDB-wire server such as FerretDB.
 */
import { MongoBulkWriteError, MongoClient, MongoNetworkError, MongoServerError, MongoServerSelectionError, type AnyBulkWriteOperation, type Collection, type Db, type Document, type Filter } from 'mongodb'
import { assertCollectionName, assertFieldPath } from './names.ts'
import { assertLimit, decodeCursor, encodeCursor, parseSort, type CursorPosition, type Sort } from './paging.ts'
import { ReadModelsUnavailable, type Condition, type FieldValue, type FindOptions, type Page, type ReadModelDoc, type ReadModelStore, type DocumentWrite, type WriteBatch } from './port.ts'

interface Stored extends Document {
  _id: string
  position: number
}

interface CheckpointDoc {
  _id: string
  position: number
}

const DUPLICATE_KEY = 11000

const isDuplicateKey = (error: unknown) => error instanceof MongoServerError && error.code === DUPLICATE_KEY

/**
 * Writes per command at most. FerretDB v1 on PostgreSQL keeps a connection of its pool (50 by default) for each
 * statement of an `update` command until the whole command ends: one update of 50 statements waits for ever for
 * a connection, and so does every later command. Well below that, so that commands running at once fit too.
 */
const MAX_WRITES_PER_COMMAND = 20
/** A batch whose inserts keep meeting documents another writer inserted meanwhile is read again this many times. */
const MAX_ATTEMPTS = 5
/**
 * The stored positions of up to this many documents are read one `_id` at a time: FerretDB v1 answers an `_id`
 * equality from its primary key but reads the whole collection for `$in` (and `$or`), so a live write's batch of a
 * few documents would cost a scan that grows with the collection. A larger batch (a catch-up) pays one scan.
 */
const POINT_READS_AT_MOST = 16

function chunks<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, index) => items.slice(index * size, (index + 1) * size))
}

/** The position each document of `ids` that exists records. */
async function storedPositions(documents: Collection<Stored>, ids: readonly string[]): Promise<Map<string, number>> {
  const projection = { position: 1 }
  const stored =
    ids.length <= POINT_READS_AT_MOST
      ? (await Promise.all(ids.map(id => documents.findOne({ _id: id }, { projection })))).filter(doc => doc !== null)
      : await documents.find({ _id: { $in: [...ids] } }, { projection }).toArray()
  return new Map(stored.map(({ _id, position }) => [_id, position]))
}

/** Whether an ordered insert stopped at a document that exists already. Which writes before it landed is read again. */
function stoppedAtDuplicate(error: unknown): boolean {
  return error instanceof MongoBulkWriteError && [error.writeErrors].flat().every(writeError => writeError.code === DUPLICATE_KEY)
}

/** The port's document id is MongoDB's _id. */
function mongoField(path: string): string {
  assertFieldPath(path)
  return path === 'id' ? '_id' : path
}

/** MongoDB's own `{ field: null }` and `$in: [null]` match a missing field too, as the port asks. */
function conditionFilter(condition: Condition): unknown {
  if (condition === null || typeof condition !== 'object') return condition
  if ('in' in condition) return { $in: condition.in }
  return { ...(condition.gte !== undefined && { $gte: condition.gte }), ...(condition.lte !== undefined && { $lte: condition.lte }) }
}

function whereFilter(where: Record<string, Condition>): Filter<Stored> {
  const filter: Record<string, unknown> = {}
  for (const [path, condition] of Object.entries(where)) {
    const field = mongoField(path)
    const value = conditionFilter(condition)
    // A range with neither bound leaves the field free; `{ field: {} }` would match only empty objects.
    if (value !== null && typeof value === 'object' && Object.keys(value).length === 0) continue
    filter[field] = value
  }
  return filter
}

/** MongoDB orders these kinds null (and missing) < numbers < strings < booleans, and compares only within a kind. */
const KINDS = [null, { $type: 'number' }, { $type: 'string' }, { $type: 'bool' }] as const
const kindOf = (value: FieldValue) => (value === null ? 0 : typeof value === 'number' ? 1 : typeof value === 'string' ? 2 : 3)

/** Documents after the cursor in (sort value, _id) order: a greater value of the same kind, the same value with a
 *  greater _id, or any value of a later kind (all reversed when descending). */
function afterCursorFilter(sort: Sort, { value, id }: CursorPosition): Filter<Stored> {
  const [after, kindsAfter] = sort.descending ? (['$lt', (kind: number) => kind < kindOf(value)] as const) : (['$gt', (kind: number) => kind > kindOf(value)] as const)
  const field = mongoField(sort.field)
  if (field === '_id') return { _id: { [after]: id } }
  const alternatives: Filter<Stored>[] = [{ [field]: value, _id: { [after]: id } }]
  if (value !== null) alternatives.push({ [field]: { [after]: value } })
  KINDS.forEach((kind, index) => {
    if (kindsAfter(index)) alternatives.push({ [field]: kind })
  })
  return { $or: alternatives }
}

/** The MongoDB collection that holds a read-model collection. */
export const mongoCollectionName = (collection: string): string => {
  assertCollectionName(collection)
  return `rm_${collection}`
}

const toStored = (id: string, { id: _, ...fields }: ReadModelDoc): Stored => ({ ...fields, _id: id })

const toDoc = <T extends ReadModelDoc>({ _id, ...fields }: Stored): T => ({ id: _id, ...fields }) as unknown as T

export class MongoReadModelStore implements ReadModelStore {
  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
  ) {}

  /** `url` names the database (`mongodb://host/ptvem`). Resolves once the server answers. */
  static async connect(url: string): Promise<MongoReadModelStore> {
    return MongoReadModelStore.over(await MongoClient.connect(url))
  }

  /** The read models in the database a connected client names; closing the store closes the client. */
  static over(client: MongoClient): MongoReadModelStore {
    return new MongoReadModelStore(client, client.db())
  }

  async ensureIndexes(collection: string, indexes: readonly (readonly string[])[]): Promise<void> {
    const documents = this.collection(collection)
    for (const fields of indexes) {
      // _id last: every sort breaks ties on it, so a page is read straight off the index.
      await documents.createIndex(Object.fromEntries([...fields.map(mongoField), '_id'].map(field => [field, 1])))
    }
  }

  async get<T extends ReadModelDoc>(collection: string, id: string): Promise<T | null> {
    const stored = await unavailableOnFailure(() => this.collection(collection).findOne({ _id: id }))
    return stored && toDoc<T>(stored)
  }

  find<T extends ReadModelDoc>(collection: string, options: FindOptions): Promise<Page<T>> {
    return unavailableOnFailure(() => this.findPage<T>(collection, options))
  }

  private async findPage<T extends ReadModelDoc>(collection: string, options: FindOptions): Promise<Page<T>> {
    assertLimit(options.limit)
    const sort = parseSort(options.sort)
    const filters: Filter<Stored>[] = [whereFilter(options.where ?? {})]
    if (options.cursor !== undefined) filters.push(afterCursorFilter(sort, decodeCursor(sort, options.cursor)))
    const direction = sort.descending ? -1 : 1
    const field = mongoField(sort.field)
    const order: Record<string, 1 | -1> = field === '_id' ? { _id: direction } : { [field]: direction, _id: direction }
    const stored = await this.collection(collection)
      .find({ $and: filters })
      .sort(order)
      .limit(options.limit + 1)
      .toArray()
    const items = stored.slice(0, options.limit).map(doc => toDoc<T>(doc))
    const last = items.at(-1)
    return { items, nextCursor: stored.length > options.limit && last ? encodeCursor(sort, last) : null }
  }

  /**
   * Collection by collection, in the batch's order: the positions the documents record are read first (one query),
   * then the documents that do not exist are inserted (one ordered insert), the ones that record an earlier
   * position replaced or deleted where they still do (guarded writes, no upserts), and the ones that record this
   * position or a later one left alone: already applied. Then the checkpoints.
   *
   * Every write is checked. An ordered insert that meets a document another writer inserted meanwhile stops
   * there on any server, so the documents after it are read again and written by the same rules: never assumed
   * written. (FerretDB also stops an unordered bulk write at its first duplicate key, reporting that error alone.)
   */
  async write({ documents, checkpoints }: WriteBatch): Promise<void> {
    const byCollection = new Map<string, DocumentWrite[]>()
    for (const write of documents) {
      const writes = byCollection.get(write.collection)
      if (writes) writes.push(write)
      else byCollection.set(write.collection, [write])
    }
    for (const [collection, writes] of byCollection) await this.writeDocuments(this.collection(collection), writes)
    await this.writeCheckpoints(checkpoints)
  }

  private async writeDocuments(documents: Collection<Stored>, writes: readonly DocumentWrite[]): Promise<void> {
    let pending = writes
    for (let attempt = 1; ; attempt++) {
      const positions = await storedPositions(documents, pending.map(({ id }) => id))
      const inserts: DocumentWrite[] = []
      const changes: AnyBulkWriteOperation<Stored>[] = []
      for (const write of pending) {
        const { id, position, doc } = write
        const storedPosition = positions.get(id)
        if (storedPosition === undefined) {
          if (doc) inserts.push(write)
        } else if (storedPosition < position) {
          const filter = { _id: id, position: { $lt: position } }
          changes.push(doc ? { replaceOne: { filter, replacement: toStored(id, doc) } } : { deleteOne: { filter } })
        }
      }
      for (const chunk of chunks(changes, MAX_WRITES_PER_COMMAND)) await documents.bulkWrite(chunk, { ordered: false })
      if (inserts.length === 0) return
      try {
        await documents.insertMany(
          inserts.map(({ id, doc }) => toStored(id, doc!)),
          { ordered: true },
        )
        return
      } catch (error) {
        if (!stoppedAtDuplicate(error) || attempt === MAX_ATTEMPTS) throw error
        // What the insert reports as inserted is not relied on: every document of it is read again.
        pending = inserts
      }
    }
  }

  /** One update per position reached, for every projection at it: usually one for the whole batch. */
  private async writeCheckpoints(checkpoints: ReadonlyMap<string, number>): Promise<void> {
    const byPosition = new Map<number, string[]>()
    for (const [projection, position] of checkpoints) byPosition.set(position, [...(byPosition.get(position) ?? []), projection])
    for (const [position, projections] of byPosition) {
      const { matchedCount } = await this.checkpoints().updateMany({ _id: { $in: projections } }, { $set: { position } })
      if (matchedCount === projections.length) continue
      // A projection's first checkpoint. A duplicate: another process inserted it between our match and our insert.
      for (const projection of projections) {
        const upsert = () => this.checkpoints().updateOne({ _id: projection }, { $set: { position } }, { upsert: true })
        await upsert().catch(error => (isDuplicateKey(error) ? upsert() : Promise.reject(error)))
      }
    }
  }

  async getCheckpoint(projection: string): Promise<number> {
    return (await this.checkpoints().findOne({ _id: projection }))?.position ?? 0
  }

  setCheckpoint(projection: string, position: number): Promise<void> {
    return this.write({ documents: [], checkpoints: new Map([[projection, position]]) })
  }

  async drop(collection: string): Promise<void> {
    // Emptied rather than dropped, so the collection keeps its indexes.
    await this.collection(collection).deleteMany({})
  }

  async close(): Promise<void> {
    await this.client.close()
  }

  private collection(name: string): Collection<Stored> {
    return this.db.collection<Stored>(mongoCollectionName(name))
  }

  private checkpoints(): Collection<CheckpointDoc> {
    return this.db.collection<CheckpointDoc>('projection_checkpoints')
  }
}

/**
 * The server unreachable, or its own storage (FerretDB answers with the error of its failed PostgreSQL connection).
 */
function isUnavailable(error: unknown): boolean {
  if (error instanceof MongoNetworkError || error instanceof MongoServerSelectionError) return true
  return error instanceof MongoServerError && /failed to connect|connection refused/i.test(error.message)
}

async function unavailableOnFailure<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read()
  } catch (error) {
    throw isUnavailable(error) ? new ReadModelsUnavailable(error) : error
  }
}
