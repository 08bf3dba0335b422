/**
 * The embedded read models' SQLite file, as every connection to it opens it: one table of JSON documents per
 * collection (`rm_{collection}`: id, position, doc) and a table of checkpoints, in WAL mode so queries read
 * while projections write.
 */
import Database from 'better-sqlite3'
import { assertCollectionName } from './names.ts'

/** How a connection reads: through a page cache of `cacheMb` and a memory map of up to `mapMb` of the file. */
export interface ReadModelReads {
  cacheMb: number
  mapMb: number
}

/**
 * The threads' connections, which read most of the file in a rebuild: a page read through the map costs no read()
 * and no copy, but stays in the process's resident memory while mapped.
 */
const THREAD_READS: ReadModelReads = { cacheMb: 64, mapMb: 256 }

export function openReadModels(filename: string, { cacheMb, mapMb }: ReadModelReads = THREAD_READS): Database.Database {
  const db = new Database(filename)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('busy_timeout = 5000')
  db.pragma(`mmap_size = ${mapMb * 1024 * 1024}`)
  db.pragma(`cache_size = -${cacheMb * 1024}`)
  // A connection that writes without the checkpointer thread (small batches, the CLI) checkpoints the WAL every
  // 64 MB rather than every 4 MB: each page is copied and synced fewer times. The writer thread turns it off.
  db.pragma('wal_autocheckpoint = 16384')
  // A WAL that a long run of writes grew is cut back once checkpointed, rather than kept at its largest.
  db.pragma('journal_size_limit = 67108864')
  db.exec('CREATE TABLE IF NOT EXISTS checkpoints (projection TEXT PRIMARY KEY, position INTEGER NOT NULL)')
  return db
}

/** The collection's table, created if need be. */
export function tableOf(db: Database.Database, collection: string): string {
  assertCollectionName(collection)
  const name = `rm_${collection}`
  db.exec(`CREATE TABLE IF NOT EXISTS ${name} (id TEXT PRIMARY KEY, position INTEGER NOT NULL, doc TEXT NOT NULL)`)
  return name
}
