/**
 * How a batch of the read-model port is written to SQLite: in one transaction, each document as JSON text under
 * its position guard, with the checkpoints. A writer thread is handed the batch itself: cloning the documents
 * across costs the posting thread less than serialising them to JSON and cloning the text.
 */
import type Database from 'better-sqlite3'
import type { WriteBatch } from './port.ts'
import { tableOf } from './sqliteTables.ts'

interface Statements {
  upsert: Database.Statement<[string, number, string]>
  remove: Database.Statement<[string, number]>
}

/** A function that writes batches to `db`. */
export function batchWriter(db: Database.Database): (batch: WriteBatch) => void {
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
  const write = db.transaction(({ documents, checkpoints }: WriteBatch) => {
    for (const { collection, id, position, doc } of documents) {
      if (doc === null) statements(collection).remove.run(id, position)
      else statements(collection).upsert.run(id, position, JSON.stringify(doc))
    }
    for (const [projection, position] of checkpoints) writeCheckpoint.run(projection, position)
  })
  return batch => {
    // A table is created outside the batch's transaction: rolled back with it, the statements kept would name a table that is gone.
    for (const { collection } of batch.documents) statements(collection)
    write(batch)
  }
}
