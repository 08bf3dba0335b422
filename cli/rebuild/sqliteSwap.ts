/**
 * CollectionSwap on the embedded read models: one IMMEDIATE transaction renames each shadow table over its
 * live one. It holds the write lock while `ready` runs, so no projection writes between that check and the
 * commit; readers in WAL mode keep reading the old tables until the commit, and the new ones after it.
 *
 * It knows the store's table naming (`rm_{collection}`, a `checkpoints` table): it belongs in
 * readmodels/sqlite.ts as the store's own `swap`, and lives here until the port has one.
 */
import Database from 'better-sqlite3'
import type { CollectionSwap, Replacement } from './swap.ts'

const table = (collection: string) => `rm_${collection}`

export class SqliteCollectionSwap implements CollectionSwap {
  private readonly db: Database.Database

  constructor(file: string) {
    this.db = new Database(file)
    // Waits for a projection's write in progress instead of failing.
    this.db.pragma('busy_timeout = 5000')
  }

  async swap({ collections, checkpoints }: Replacement, ready: () => Promise<boolean>): Promise<boolean> {
    this.db.exec('BEGIN IMMEDIATE')
    try {
      if (!(await ready())) {
        this.db.exec('ROLLBACK')
        return false
      }
      for (const [live, shadow] of Object.entries(collections)) this.replaceTable(table(live), table(shadow))
      for (const [live, shadow] of Object.entries(checkpoints)) this.replaceCheckpoint(live, shadow)
      this.db.exec('COMMIT')
      return true
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK')
      throw error
    }
  }

  async close(): Promise<void> {
    this.db.close()
  }

  /**
   * Index names are global and the store names them after their table (`rm_x(field)`), so the shadow's
   * indexes are recreated under the live names once the old table and its indexes are gone.
   */
  private replaceTable(live: string, shadow: string): void {
    const indexes = this.db
      .prepare<[string], { name: string; sql: string }>(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`)
      .all(shadow)
    for (const { name } of indexes) this.db.exec(`DROP INDEX "${name}"`)
    this.db.exec(`DROP TABLE IF EXISTS ${live}`)
    this.db.exec(`ALTER TABLE ${shadow} RENAME TO ${live}`)
    for (const { sql } of indexes) this.db.exec(sql.replaceAll(shadow, live))
  }

  private replaceCheckpoint(live: string, shadow: string): void {
    this.db
      .prepare(
        `INSERT INTO checkpoints (projection, position) SELECT ?, position FROM checkpoints WHERE projection = ?
         ON CONFLICT (projection) DO UPDATE SET position = excluded.position`,
      )
      .run(live, shadow)
    this.db.prepare('DELETE FROM checkpoints WHERE projection = ?').run(shadow)
  }
}
