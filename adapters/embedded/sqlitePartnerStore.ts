import Database from 'better-sqlite3'
import type { AccessLog, ApiKeyScope, ApiKeyStore, PassportAccess, StoredApiKey } from '../ports.ts'

interface KeyRow {
  key_id: string
  owner_id: string
  name: string
  scopes: string
  hash: string
  created_at: string
  last_used_at: string | null
}

interface AccessRow {
  id: number
  product_id: string
  at: string
  viewer_id: string
  role: string
  view: PassportAccess['view']
  via: PassportAccess['via']
}

const keyOf = (row: KeyRow): StoredApiKey => ({
  keyId: row.key_id,
  ownerId: row.owner_id,
  name: row.name,
  scopes: JSON.parse(row.scopes) as ApiKeyScope[],
  hash: row.hash,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
})

const accessOf = (row: AccessRow): PassportAccess => ({
  productId: row.product_id,
  at: row.at,
  viewerId: row.viewer_id,
  role: row.role,
  view: row.view,
  via: row.via,
})

/** Partners' API keys and the passport access log in their own SQLite file, apart from the log and the read models. */
export class SqlitePartnerStore implements ApiKeyStore, AccessLog {
  readonly #db: Database.Database

  constructor(path: string) {
    this.#db = new Database(path)
    this.#db.pragma('journal_mode = WAL')
    this.#db.exec(`
      CREATE TABLE IF NOT EXISTS api_keys (
        key_id TEXT PRIMARY KEY, owner_id TEXT NOT NULL, name TEXT NOT NULL, scopes TEXT NOT NULL, hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL, last_used_at TEXT, revoked_at TEXT
      ) STRICT;
      CREATE INDEX IF NOT EXISTS api_keys_owner ON api_keys (owner_id, created_at);
      CREATE TABLE IF NOT EXISTS passport_access (
        id INTEGER PRIMARY KEY AUTOINCREMENT, product_id TEXT NOT NULL, at TEXT NOT NULL, viewer_id TEXT NOT NULL,
        role TEXT NOT NULL, view TEXT NOT NULL, via TEXT NOT NULL
      ) STRICT;
      CREATE INDEX IF NOT EXISTS passport_access_product ON passport_access (product_id, id);
    `)
  }

  async addKey(key: StoredApiKey): Promise<void> {
    this.#db
      .prepare('INSERT INTO api_keys (key_id, owner_id, name, scopes, hash, created_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(key.keyId, key.ownerId, key.name, JSON.stringify(key.scopes), key.hash, key.createdAt, key.lastUsedAt)
  }

  async keyByHash(hash: string): Promise<StoredApiKey | null> {
    const row = this.#db.prepare<[string], KeyRow>('SELECT * FROM api_keys WHERE hash = ? AND revoked_at IS NULL').get(hash)
    return row ? keyOf(row) : null
  }

  async keyById(keyId: string): Promise<StoredApiKey | null> {
    const row = this.#db.prepare<[string], KeyRow>('SELECT * FROM api_keys WHERE key_id = ? AND revoked_at IS NULL').get(keyId)
    return row ? keyOf(row) : null
  }

  async keysOf(ownerId: string): Promise<StoredApiKey[]> {
    return this.#db
      .prepare<[string], KeyRow>('SELECT * FROM api_keys WHERE owner_id = ? AND revoked_at IS NULL ORDER BY created_at, key_id')
      .all(ownerId)
      .map(keyOf)
  }

  async revokeKey(keyId: string, at: string): Promise<boolean> {
    return this.#db.prepare('UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL').run(at, keyId).changes === 1
  }

  async noteKeyUse(keyId: string, at: string): Promise<void> {
    this.#db.prepare('UPDATE api_keys SET last_used_at = ? WHERE key_id = ? AND (last_used_at IS NULL OR last_used_at < ?)').run(at, keyId, at)
  }

  async recordAccess(access: PassportAccess): Promise<void> {
    this.#db
      .prepare('INSERT INTO passport_access (product_id, at, viewer_id, role, view, via) VALUES (?, ?, ?, ?, ?, ?)')
      .run(access.productId, access.at, access.viewerId, access.role, access.view, access.via)
  }

  async accessesOf(productId: string, { limit, cursor }: { limit: number; cursor?: string }) {
    const before = cursor === undefined ? Number.MAX_SAFE_INTEGER : Number.parseInt(cursor, 10) || 0
    const rows = this.#db
      .prepare<[string, number, number], AccessRow>('SELECT * FROM passport_access WHERE product_id = ? AND id < ? ORDER BY id DESC LIMIT ?')
      .all(productId, before, limit + 1)
    const page = rows.slice(0, limit)
    return { items: page.map(accessOf), nextCursor: rows.length > limit ? String(page.at(-1)!.id) : null }
  }

  async close(): Promise<void> {
    this.#db.close()
  }
}
