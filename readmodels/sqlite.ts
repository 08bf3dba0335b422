/**
 * The embedded read-model store: one SQLite table of JSON documents per collection (`rm_{collection}`:
 * id, position, doc), indexed on json_extract expressions, in WAL mode so queries read while projections write.
 */
import Database from 'better-sqlite3'
import { assertCollectionName } from './names.ts'
import { assertLimit, encodeCursor, parseSort } from './paging.ts'
import { fieldExpr, findSql } from './sqliteQuery.ts'
import type { FindOptions, Page, ReadModelDoc, ReadModelStore } from './port.ts'

interface Table {
  name: string
  /** The document's JSON alone (pluck): no row object to build for a read. */
  getDoc: Database.Statement<[string], string>
  get: Database.Statement<[string], { position: number; doc: string }>
  upsert: Database.Statement<[string, number, string]>
  remove: Database.Statement<[string, number]>
}

type Update = (current: ReadModelDoc | null) => Omit<ReadModelDoc, 'position'> | null

export class SqliteReadModelStore implements ReadModelStore {
  private readonly db: Database.Database
  private readonly tables = new Map<string, Table>()
  private readonly queries = new Map<string, Database.Statement>()
  private readonly readCheckpoint: Database.Statement<[string], { position: number }>
  private readonly writeCheckpoint: Database.Statement<[string, number]>
  private readonly applyOnce: (table: Table, id: string, position: number, update: Update) => void
  /** The body of applyOnce, run bare inside a batch: the batch's IMMEDIATE transaction already holds the write
   *  lock, and the one write of an apply is one statement, so a savepoint per apply would buy nothing. */
  private readonly applyInBatch: (table: Table, id: string, position: number, update: Update) => void
  /** Batches running; while any is, a transaction is open (unless BEGIN failed). */
  private batches = 0

  /** `filename` is a path, or ':memory:'. */
  constructor(filename: string) {
    this.db = new Database(filename)
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('synchronous = NORMAL')
    this.db.pragma('busy_timeout = 5000')
    this.db.exec('CREATE TABLE IF NOT EXISTS checkpoints (projection TEXT PRIMARY KEY, position INTEGER NOT NULL)')
    this.readCheckpoint = this.db.prepare('SELECT position FROM checkpoints WHERE projection = ?')
    this.writeCheckpoint = this.db.prepare(
      'INSERT INTO checkpoints (projection, position) VALUES (?, ?) ON CONFLICT (projection) DO UPDATE SET position = excluded.position',
    )
    this.applyInBatch = (table: Table, id: string, position: number, update: Update) => {
      const row = table.get.get(id)
      if (row && row.position >= position) return
      const next = update(row ? JSON.parse(row.doc) : null)
      if (next) table.upsert.run(id, position, JSON.stringify({ ...next, id, position }))
    }
    this.applyOnce = this.db.transaction(this.applyInBatch)
  }

  async ensureIndexes(collection: string, indexes: readonly (readonly string[])[]): Promise<void> {
    const { name } = this.table(collection)
    for (const fields of indexes) {
      const columns = new Set([...fields.map(fieldExpr), 'id'])
      this.db.exec(`CREATE INDEX IF NOT EXISTS "${name}(${fields.join(',')})" ON ${name} (${[...columns].join(', ')})`)
    }
  }

  async get<T extends ReadModelDoc>(collection: string, id: string): Promise<T | null> {
    const doc = this.table(collection).getDoc.get(id)
    return doc === undefined ? null : (JSON.parse(doc) as T)
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

  async apply<T extends ReadModelDoc>(
    collection: string,
    id: string,
    position: number,
    update: (current: T | null) => Omit<T, 'position'> | null,
  ): Promise<void> {
    const table = this.table(collection)
    if (this.batches > 0 && this.db.inTransaction) this.applyInBatch(table, id, position, update as Update)
    else this.applyOnce(table, id, position, update as Update)
  }

  /**
   * One IMMEDIATE transaction around `work`, held across its awaits. better-sqlite3 has one connection per store,
   * so anything else on this store meanwhile runs inside it: reads see the batch's writes so far (this process
   * only; other processes see them at the commit), and writes from elsewhere (another runner, the notification
   * consumer, a checkpoint timer) join it and commit with it. Since every apply is atomic on its own, a commit
   * is correct at any point: each batch commits when it ends, and if other batches are still running a new
   * transaction opens for them, so overlapping batches never keep one transaction open for long. On an error
   * what was applied is committed too, as it would have been without the batch.
   */
  async batch<T>(work: () => Promise<T>): Promise<T> {
    if (this.batches++ === 0) this.begin()
    try {
      return await work()
    } finally {
      this.batches--
      this.commit()
      if (this.batches > 0) this.begin()
    }
  }

  /** Best effort: if the write lock cannot be had (another process holds it past busy_timeout), the work
   *  runs without a batch, each apply in its own transaction as before. */
  private begin(): void {
    if (this.db.inTransaction || !this.db.open) return
    try {
      this.db.exec('BEGIN IMMEDIATE')
    } catch {
      // see above
    }
  }

  async remove(collection: string, id: string, position: number): Promise<void> {
    this.table(collection).remove.run(id, position)
  }

  async getCheckpoint(projection: string): Promise<number> {
    return this.readCheckpoint.get(projection)?.position ?? 0
  }

  async setCheckpoint(projection: string, position: number): Promise<void> {
    this.writeCheckpoint.run(projection, position)
  }

  async drop(collection: string): Promise<void> {
    this.db.exec(`DELETE FROM ${this.table(collection).name}`)
  }

  async close(): Promise<void> {
    this.db.close()
  }

  private commit(): void {
    if (!this.db.open || !this.db.inTransaction) return
    try {
      this.db.exec('COMMIT')
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK')
      throw error
    }
  }

  /** The collection's table, created on first use. */
  private table(collection: string): Table {
    const known = this.tables.get(collection)
    if (known) return known
    assertCollectionName(collection)
    const name = `rm_${collection}`
    this.db.exec(`CREATE TABLE IF NOT EXISTS ${name} (id TEXT PRIMARY KEY, position INTEGER NOT NULL, doc TEXT NOT NULL)`)
    const table: Table = {
      name,
      getDoc: this.db.prepare<[string], string>(`SELECT doc FROM ${name} WHERE id = ?`).pluck(),
      get: this.db.prepare(`SELECT position, doc FROM ${name} WHERE id = ?`),
      upsert: this.db.prepare(
        `INSERT INTO ${name} (id, position, doc) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET position = excluded.position, doc = excluded.doc`,
      ),
      remove: this.db.prepare(`DELETE FROM ${name} WHERE id = ? AND position < ?`),
    }
    this.tables.set(collection, table)
    return table
  }

  private query(sql: string): Database.Statement {
    let statement = this.queries.get(sql)
    if (!statement) this.queries.set(sql, (statement = this.db.prepare(sql)))
    return statement
  }
}
