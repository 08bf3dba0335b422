/**
 * The embedded read-model store: one SQLite table of JSON documents per collection (`rm_{collection}`:
 * id, position, doc), indexed on json_extract expressions, in WAL mode so queries read while projections write.
 */
import Database from 'better-sqlite3'
import { assertCollectionName } from './names.ts'
import { assertLimit, encodeCursor, parseSort } from './paging.ts'
import { fieldExpr, findSql } from './sqliteQuery.ts'
import type { FindOptions, Page, ReadModelDoc, ReadModelStore, WriteBatch } from './port.ts'

interface Table {
  name: string
  get: Database.Statement<[string], { position: number; doc: string }>
  upsert: Database.Statement<[string, number, string]>
  remove: Database.Statement<[string, number]>
}

export class SqliteReadModelStore implements ReadModelStore {
  private readonly db: Database.Database
  private readonly tables = new Map<string, Table>()
  private readonly queries = new Map<string, Database.Statement>()
  private readonly readCheckpoint: Database.Statement<[string], { position: number }>
  private readonly writeCheckpoint: Database.Statement<[string, number]>
  private readonly writeBatch: (batch: WriteBatch) => void

  /** `filename` is a path, or ':memory:'. */
  constructor(filename: string) {
    this.db = new Database(filename)
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('synchronous = NORMAL')
    this.db.pragma('busy_timeout = 5000')
    // Point reads (a scan makes three) go through a memory map and a 64 MB page cache rather than a read() each.
    this.db.pragma('mmap_size = 268435456')
    this.db.pragma('cache_size = -65536')
    this.db.exec('CREATE TABLE IF NOT EXISTS checkpoints (projection TEXT PRIMARY KEY, position INTEGER NOT NULL)')
    this.readCheckpoint = this.db.prepare('SELECT position FROM checkpoints WHERE projection = ?')
    this.writeCheckpoint = this.db.prepare(
      'INSERT INTO checkpoints (projection, position) VALUES (?, ?) ON CONFLICT (projection) DO UPDATE SET position = excluded.position',
    )
    this.writeBatch = this.db.transaction(({ documents, checkpoints }: WriteBatch) => {
      for (const { collection, id, position, doc } of documents) {
        const table = this.table(collection)
        if (doc) table.upsert.run(id, position, JSON.stringify(doc))
        else table.remove.run(id, position)
      }
      for (const [projection, position] of checkpoints) this.writeCheckpoint.run(projection, position)
    })
  }

  async ensureIndexes(collection: string, indexes: readonly (readonly string[])[]): Promise<void> {
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
    this.writeBatch(batch)
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

  /** The collection's table, created on first use. */
  private table(collection: string): Table {
    const known = this.tables.get(collection)
    if (known) return known
    assertCollectionName(collection)
    const name = `rm_${collection}`
    this.db.exec(`CREATE TABLE IF NOT EXISTS ${name} (id TEXT PRIMARY KEY, position INTEGER NOT NULL, doc TEXT NOT NULL)`)
    const table: Table = {
      name,
      get: this.db.prepare(`SELECT position, doc FROM ${name} WHERE id = ?`),
      upsert: this.db.prepare(
        `INSERT INTO ${name} (id, position, doc) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET position = excluded.position, doc = excluded.doc WHERE excluded.position > ${name}.position`,
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
