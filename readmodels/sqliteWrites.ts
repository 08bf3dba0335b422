/**
 * How a batch of the read-model port is written to SQLite: in one transaction, each document as JSON text under
 * its position guard, with the checkpoints. A writer thread is handed the batch itself, packed (packBatch):
 * cloning the documents across costs the posting thread less than serialising them to JSON and cloning the text.
 */
import type Database from 'better-sqlite3'
import type { ReadModelDoc, WriteBatch } from './port.ts'
import { tableOf } from './sqliteTables.ts'

/**
 * A batch as the writer thread is sent it: each collection's documents as they are (a document holds its id and
 * position), and the removals apart, so that the clone carries no wrapper and no repeated name per document. A
 * batch writes a document at most once, so the order of its writes does not matter within its transaction.
 */
export interface PackedBatch {
  upserts: [collection: string, docs: ReadModelDoc[]][]
  removals: [collection: string, id: string, position: number][]
  checkpoints: ReadonlyMap<string, number>
}

export function packBatch({ documents, checkpoints }: WriteBatch): PackedBatch {
  const upserts: PackedBatch['upserts'] = []
  const removals: PackedBatch['removals'] = []
  let run: [string, ReadModelDoc[]] | undefined
  for (const { collection, id, position, doc } of documents) {
    if (doc === null) removals.push([collection, id, position])
    else if (run?.[0] === collection) run[1].push(doc)
    else upserts.push((run = [collection, [doc]]))
  }
  return { upserts, removals, checkpoints }
}

interface Statements {
  upsert: Database.Statement<[string, number, string]>
  remove: Database.Statement<[string, number]>
}

/** A function that writes packed batches to `db`. */
export function batchWriter(db: Database.Database): (batch: PackedBatch) => void {
  const byCollection = new Map<string, Statements>()
  const statements = (collection: string): Statements => {
    let known = byCollection.get(collection)
    if (known) return known
    const name = tableOf(db, collection)
    known = {
      upsert: db.prepare(
        `INSERT INTO ${name} (id, position, doc) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET position = excluded.position, doc = excluded.doc WHERE excluded.position > ${name}.position`,
      ),
      remove: db.prepare(`DELETE FROM ${name} WHERE id = ? AND position < ?`),
    }
    byCollection.set(collection, known)
    return known
  }
  const writeCheckpoint = db.prepare<[string, number]>(
    'INSERT INTO checkpoints (projection, position) VALUES (?, ?) ON CONFLICT (projection) DO UPDATE SET position = excluded.position',
  )
  const write = db.transaction(({ upserts, removals, checkpoints }: PackedBatch) => {
    for (const [collection, docs] of upserts) {
      const { upsert } = statements(collection)
      for (const doc of docs) upsert.run(doc.id, doc.position, JSON.stringify(doc))
    }
    for (const [collection, id, position] of removals) statements(collection).remove.run(id, position)
    for (const [projection, position] of checkpoints) writeCheckpoint.run(projection, position)
  })
  return batch => {
    // A table is created outside the batch's transaction: rolled back with it, the statements kept would name a table that is gone.
    for (const [collection] of batch.upserts) statements(collection)
    for (const [collection] of batch.removals) statements(collection)
    write(batch)
  }
}
