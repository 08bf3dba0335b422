import { randomBytes } from 'node:crypto'
import Database from 'better-sqlite3'
import type { KeyStore } from '../ports.ts'

const KEY_BYTES = 32

/** Per-subject keys in their own SQLite file, apart from the event log: erasing a key leaves no copy behind it. */
export class SqliteKeyStore implements KeyStore {
  readonly #db: Database.Database
  readonly #insert: Database.Statement<[string, Buffer]>
  readonly #select: Database.Statement<[string], { key: Buffer }>
  readonly #delete: Database.Statement<[string]>

  constructor(path: string) {
    this.#db = new Database(path)
    this.#db.pragma('journal_mode = WAL')
    // Erased keys must not survive in free pages or the WAL.
    this.#db.pragma('secure_delete = ON')
    this.#db.exec('CREATE TABLE IF NOT EXISTS subject_keys (subject_id TEXT PRIMARY KEY, key BLOB NOT NULL) STRICT')
    this.#insert = this.#db.prepare('INSERT OR IGNORE INTO subject_keys (subject_id, key) VALUES (?, ?)')
    this.#select = this.#db.prepare('SELECT key FROM subject_keys WHERE subject_id = ?')
    this.#delete = this.#db.prepare('DELETE FROM subject_keys WHERE subject_id = ?')
  }

  async keyFor(subjectId: string): Promise<Buffer> {
    this.#insert.run(subjectId, randomBytes(KEY_BYTES))
    return this.#select.get(subjectId)!.key
  }

  async find(subjectId: string): Promise<Buffer | null> {
    return this.#select.get(subjectId)?.key ?? null
  }

  async delete(subjectId: string): Promise<void> {
    this.#delete.run(subjectId)
    // Moves the deletion out of the WAL into the main file, where secure_delete has zeroed the old key.
    this.#db.pragma('wal_checkpoint(TRUNCATE)')
  }

  async close(): Promise<void> {
    this.#db.close()
  }
}
