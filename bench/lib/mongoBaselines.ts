/**
 * What the MongoDB-wire server itself allows, for the figures measured on it: inserting documents with
 * insertMany, and reading them one by one with findOne({ _id }). Both on the documents a catch-up wrote (the
 * products read model), in the same database, so the payload and the collection size are the app's.
 */
import { MongoClient, type Document } from 'mongodb'
import { msSince } from './stats.ts'

/** Documents per insertMany: about what one catch-up batch writes to a collection. */
const INSERT_BATCH = 1000

/** Inserts `count` copies of the collection's documents (new _ids) into a new collection, INSERT_BATCH at a time. */
export async function rawInsertMany(url: string, source: string, count: number): Promise<{ events: number; ms: number }> {
  const client = await MongoClient.connect(url)
  const target = client.db().collection(`bench_raw_insert_${Date.now().toString(36)}`)
  try {
    const originals = await client.db().collection(source).find({}).toArray()
    if (originals.length === 0) throw new Error(`${source} holds no documents to copy`)
    const copies: Document[] = Array.from({ length: count }, (_, n) => ({ ...originals[n % originals.length], _id: `copy-${n}` }))
    const start = process.hrtime.bigint()
    for (let i = 0; i < copies.length; i += INSERT_BATCH) await target.insertMany(copies.slice(i, i + INSERT_BATCH))
    return { events: copies.length, ms: msSince(start) }
  } finally {
    await target.drop().catch(() => {})
    await client.close()
  }
}

/** `concurrency` readers, each reading one document at a time by a random _id among the collection's, for `seconds`. */
export async function rawFindOne(url: string, collection: string, seconds: number, concurrency: number): Promise<{ events: number; ms: number }> {
  const client = await MongoClient.connect(url, { maxPoolSize: concurrency })
  try {
    const documents = client.db().collection<{ _id: string }>(collection)
    const ids = (await documents.find({}, { projection: { _id: 1 } }).toArray()).map(({ _id }) => _id)
    if (ids.length === 0) throw new Error(`${collection} holds no documents to read`)
    let reads = 0
    const start = process.hrtime.bigint()
    const reader = async () => {
      while (msSince(start) < seconds * 1000) {
        if (!(await documents.findOne({ _id: ids[Math.floor(Math.random() * ids.length)]! }))) throw new Error('a document went missing')
        reads++
      }
    }
    await Promise.all(Array.from({ length: concurrency }, reader))
    return { events: reads, ms: msSince(start) }
  } finally {
    await client.close()
  }
}
