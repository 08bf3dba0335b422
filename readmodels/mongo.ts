/**
 * The production read-model store: one MongoDB collection per read-model collection (`rm_{collection}`), the
 * document id as `_id`, every other field as stored, so indexes and filters reach nested fields directly.
 * Checkpoints live in `projection_checkpoints`. No transactions: a batch is one unordered bulk write per
 * collection, each document a conditional write, then one for the checkpoints.
 */
import { MongoBulkWriteError, MongoClient, MongoServerError, type AnyBulkWriteOperation, type Collection, type Db, type Document, type Filter } from 'mongodb'
import { assertCollectionName, assertFieldPath } from './names.ts'
import { assertLimit, decodeCursor, encodeCursor, parseSort, type CursorPosition, type Sort } from './paging.ts'
import type { Condition, FieldValue, FindOptions, Page, ReadModelDoc, ReadModelStore, DocumentWrite, WriteBatch } from './port.ts'

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

/** A bulk write whose only failures are duplicate keys (writes already applied) has done its work. */
async function ignoringDuplicates(written: Promise<unknown>): Promise<void> {
  try {
    await written
  } catch (error) {
    if (!(error instanceof MongoBulkWriteError) || !error.writeErrors || ![error.writeErrors].flat().every(writeError => writeError.code === DUPLICATE_KEY)) throw error
  }
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

const toDoc = <T extends ReadModelDoc>({ _id, ...fields }: Stored): T => ({ id: _id, ...fields }) as unknown as T

export class MongoReadModelStore implements ReadModelStore {
  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
  ) {}

  /** `url` names the database (`mongodb://host/ptvem`). Resolves once the server answers. */
  static async connect(url: string): Promise<MongoReadModelStore> {
    const client = await MongoClient.connect(url)
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
    const stored = await this.collection(collection).findOne({ _id: id })
    return stored && toDoc<T>(stored)
  }

  async find<T extends ReadModelDoc>(collection: string, options: FindOptions): Promise<Page<T>> {
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
   * A document is replaced only where it still records an earlier position; where it records this position or a
   * later one, the upsert meets the existing _id and fails as a duplicate: already applied.
   */
  async write({ documents, checkpoints }: WriteBatch): Promise<void> {
    const byCollection = new Map<string, DocumentWrite[]>()
    for (const write of documents) {
      const writes = byCollection.get(write.collection)
      if (writes) writes.push(write)
      else byCollection.set(write.collection, [write])
    }
    for (const [collection, writes] of byCollection) {
      const operations = writes.map(({ id, position, doc }): AnyBulkWriteOperation<Stored> => {
        const filter = { _id: id, position: { $lt: position } }
        if (!doc) return { deleteOne: { filter } }
        const { id: _, ...fields } = doc
        return { replaceOne: { filter, replacement: { ...fields, _id: id }, upsert: true } }
      })
      await ignoringDuplicates(this.collection(collection).bulkWrite(operations, { ordered: false }))
    }
    if (checkpoints.size === 0) return
    const operations = [...checkpoints].map(([projection, position]): AnyBulkWriteOperation<CheckpointDoc> => ({
      updateOne: { filter: { _id: projection }, update: { $set: { position } }, upsert: true },
    }))
    // A duplicate: another process inserted a checkpoint between our match and our insert; it exists now.
    await this.checkpoints()
      .bulkWrite(operations, { ordered: false })
      .catch(error => (isDuplicateKey(error) ? this.checkpoints().bulkWrite(operations, { ordered: false }) : Promise.reject(error)))
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
    assertCollectionName(name)
    return this.db.collection<Stored>(`rm_${name}`)
  }

  private checkpoints(): Collection<CheckpointDoc> {
    return this.db.collection<CheckpointDoc>('projection_checkpoints')
  }
}
