/**
 * The embedded read-model store: one SQLite table of JSON documents per collection (sqliteTables), indexed on
 * json_extract expressions. Large batches (a catch-up, a rebuild) are written on a thread of their own
 * (threadedWriter), so projecting and serving go on meanwhile. A small one is written at once on this
 * connection, unless writes are queued on the thread (it then goes behind them): the hop would cost it more
 * than it saves, and a read that follows sees it. An in-memory database, private to its connection, is
 * written on this one only.
 */
import type Database from 'better-sqlite3'
import { assertLimit, encodeCursor, parseSort } from './paging.ts'
import { fieldExpr, findSql } from './sqliteQuery.ts'
import { openReadModels, tableOf, type ReadModelReads } from './sqliteTables.ts'
import { batchWriter, packBatch, type PackedBatch } from './sqliteWrites.ts'
import { ThreadedWriter } from './threadedWriter.ts'
import type { FindOptions, Page, ReadModelDoc, ReadModelStore, WriteBatch } from './port.ts'

interface Table {
  name: string
  get: Database.Statement<[string], { position: number; doc: string }>
}

export interface SqliteReadModelOptions {
  /** Documents in a batch from which it is written on the writer thread: 16 by default, so that one event's few writes stay here and a busy moment's go there. */
  threadFrom?: number
}

/**
 * The connection that serves the API's point reads (a cold scan makes three) and the projections' small batches
 * reads through its page cache alone: through a map, every page a scan ever read would stay resident.
 */
const API_READS: ReadModelReads = { cacheMb: 16, mapMb: 0 }

export class SqliteReadModelStore implements ReadModelStore {
  private readonly db: Database.Database
  private readonly tables = new Map<string, Table>()
  private readonly queries = new Map<string, Database.Statement>()
  private readonly readCheckpoint: Database.Statement<[string], { position: number }>
  private readonly writeHere: (batch: PackedBatch) => void
  private readonly thread: ThreadedWriter | null

  private readonly threadFrom: number

  /** `filename` is a path, or ':memory:'. */
  constructor(filename: string, { threadFrom = 16 }: SqliteReadModelOptions = {}) {
    this.db = openReadModels(filename, API_READS)
    this.readCheckpoint = this.db.prepare('SELECT position FROM checkpoints WHERE projection = ?')
    this.writeHere = batchWriter(this.db)
    this.thread = this.db.memory ? null : new ThreadedWriter(filename)
    this.threadFrom = threadFrom
  }

  /** Called by whoever projects into this store, before writing. */
  async ensureIndexes(collection: string, indexes: readonly (readonly string[])[]): Promise<void> {
    await this.thread?.settled()
    const { name } = this.table(collection)
    for (const fields of indexes) {
      const columns = new Set([...fields.map(fieldExpr), 'id'])
      this.db.exec(`CREATE INDEX IF NOT EXISTS "${name}(${fields.join(',')})" ON ${name} (${[...columns].join(', ')})`)
    }
  }

  async get<T extends ReadModelDoc>(collection: string, id: string): Promise<T | null> {
    const row = this.table(collection).get.get(id)
    return row ? (JSON.parse(row.doc) as T) : null
  }

  async find<T extends ReadModelDoc>(collection: string, options: FindOptions): Promise<Page<T>> {
    assertLimit(options.limit)
    const sort = parseSort(options.sort)
    const { sql, params } = findSql(this.table(collection).name, sort, options)
    const rows = this.query(sql).all(...params) as { doc: string }[]
    const items = rows.slice(0, options.limit).map(row => JSON.parse(row.doc) as T)
    const last = items.at(-1)
    return { items, nextCursor: rows.length > options.limit && last ? encodeCursor(sort, last) : null }
  }

  async write(batch: WriteBatch): Promise<void> {
    if (this.thread && (this.thread.busy || batch.documents.length >= this.threadFrom)) return this.thread.write(batch)
    this.writeHere(packBatch(batch))
  }

  async getCheckpoint(projection: string): Promise<number> {
    return this.readCheckpoint.get(projection)?.position ?? 0
  }

  setCheckpoint(projection: string, position: number): Promise<void> {
    return this.write({ documents: [], checkpoints: new Map([[projection, position]]) })
  }

  async drop(collection: string): Promise<void> {
    await this.thread?.settled()
    this.db.exec(`DELETE FROM ${this.table(collection).name}`)
  }

  async close(): Promise<void> {
    await this.thread?.close()
    this.db.close()
  }

  /** The collection's table, created on first use. */
  private table(collection: string): Table {
    let table = this.tables.get(collection)
    if (!table) {
      const name = tableOf(this.db, collection)
      table = { name, get: this.db.prepare(`SELECT position, doc FROM ${name} WHERE id = ?`) }
      this.tables.set(collection, table)
    }
    return table
  }

  private query(sql: string): Database.Statement {
    let statement = this.queries.get(sql)
    if (!statement) this.queries.set(sql, (statement = this.db.prepare(sql)))
    return statement
  }
}
