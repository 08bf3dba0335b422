import Database from 'better-sqlite3'
import type { Delivery, DeliveryOutcome, Webhook, WebhookStore } from '../ports.ts'

interface WebhookRow {
  webhook_id: string
  owner_id: string
  url: string
  events: string
  secret: string
  created_at: string
  after: number
}

interface DeliveryRow {
  delivery_id: string
  webhook_id: string
  event_type: string
  position: number
  payload: string
  status: Delivery['status']
  attempts: number
  last_status_code: number | null
  next_attempt_at: string | null
  created_at: string
}

const webhookOf = (row: WebhookRow): Webhook => ({
  webhookId: row.webhook_id,
  ownerId: row.owner_id,
  url: row.url,
  events: JSON.parse(row.events) as string[],
  secret: row.secret,
  createdAt: row.created_at,
  after: row.after,
})

const deliveryOf = (row: DeliveryRow): Delivery => ({
  deliveryId: row.delivery_id,
  webhookId: row.webhook_id,
  eventType: row.event_type,
  position: row.position,
  payload: row.payload,
  status: row.status,
  attempts: row.attempts,
  lastStatusCode: row.last_status_code,
  nextAttemptAt: row.next_attempt_at,
  createdAt: row.created_at,
})

/** Webhooks and their deliveries in a SQLite file of their own, apart from the log and the read models. */
export class SqliteWebhookStore implements WebhookStore {
  readonly #db: Database.Database
  /** Asked for every product event the webhook consumer sees: prepared once. */
  readonly #webhooksOfAny: Database.Statement<[string], WebhookRow>

  constructor(path: string) {
    this.#db = new Database(path)
    this.#db.pragma('journal_mode = WAL')
    this.#db.exec(`
      CREATE TABLE IF NOT EXISTS webhooks (
        webhook_id TEXT PRIMARY KEY, owner_id TEXT NOT NULL, url TEXT NOT NULL, events TEXT NOT NULL, secret TEXT NOT NULL,
        created_at TEXT NOT NULL, after INTEGER NOT NULL, deleted_at TEXT
      ) STRICT;
      CREATE INDEX IF NOT EXISTS webhooks_owner ON webhooks (owner_id, created_at);
      CREATE TABLE IF NOT EXISTS webhook_deliveries (
        delivery_id TEXT PRIMARY KEY, webhook_id TEXT NOT NULL, event_type TEXT NOT NULL, position INTEGER NOT NULL,
        payload TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL, last_status_code INTEGER,
        next_attempt_at TEXT, created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX IF NOT EXISTS webhook_deliveries_webhook ON webhook_deliveries (webhook_id, position);
      CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'retrying';
    `)
    this.#webhooksOfAny = this.#db.prepare('SELECT * FROM webhooks WHERE owner_id IN (SELECT value FROM json_each(?)) AND deleted_at IS NULL')
  }

  async addWebhook(webhook: Webhook): Promise<void> {
    this.#db
      .prepare('INSERT INTO webhooks (webhook_id, owner_id, url, events, secret, created_at, after) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(webhook.webhookId, webhook.ownerId, webhook.url, JSON.stringify(webhook.events), webhook.secret, webhook.createdAt, webhook.after)
  }

  async webhookById(webhookId: string): Promise<Webhook | null> {
    const row = this.#db.prepare<[string], WebhookRow>('SELECT * FROM webhooks WHERE webhook_id = ? AND deleted_at IS NULL').get(webhookId)
    return row ? webhookOf(row) : null
  }

  async webhooksOf(ownerId: string): Promise<Webhook[]> {
    return this.#db
      .prepare<[string], WebhookRow>('SELECT * FROM webhooks WHERE owner_id = ? AND deleted_at IS NULL ORDER BY created_at, webhook_id')
      .all(ownerId)
      .map(webhookOf)
  }

  async webhooksOfAny(ownerIds: readonly string[]): Promise<Webhook[]> {
    return this.#webhooksOfAny.all(JSON.stringify(ownerIds)).map(webhookOf)
  }

  async deleteWebhook(webhookId: string, at: string): Promise<boolean> {
    return this.#db.prepare('UPDATE webhooks SET deleted_at = ? WHERE webhook_id = ? AND deleted_at IS NULL').run(at, webhookId).changes === 1
  }

  async enqueue(deliveries: readonly Delivery[]): Promise<void> {
    const insert = this.#db.prepare(`
      INSERT OR IGNORE INTO webhook_deliveries
        (delivery_id, webhook_id, event_type, position, payload, status, attempts, last_status_code, next_attempt_at, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    this.#db.transaction(() => {
      for (const each of deliveries) {
        insert.run(each.deliveryId, each.webhookId, each.eventType, each.position, each.payload, each.status, each.attempts, each.lastStatusCode, each.nextAttemptAt, each.createdAt)
      }
    })()
  }

  async claimDue(now: string, leaseUntil: string, limit: number): Promise<Delivery[]> {
    const rows = this.#db
      .prepare<[string, string, number], DeliveryRow>(`
        UPDATE webhook_deliveries SET next_attempt_at = ?
        WHERE delivery_id IN (
          SELECT delivery_id FROM webhook_deliveries WHERE status = 'retrying' AND next_attempt_at <= ? ORDER BY next_attempt_at, position LIMIT ?
        )
        RETURNING *`)
      .all(leaseUntil, now, limit)
    return rows.map(deliveryOf).sort((a, b) => a.position - b.position)
  }

  async recordOutcome(deliveryId: string, outcome: DeliveryOutcome): Promise<void> {
    this.#db
      .prepare('UPDATE webhook_deliveries SET status = ?, attempts = ?, last_status_code = ?, next_attempt_at = ? WHERE delivery_id = ?')
      .run(outcome.status, outcome.attempts, outcome.lastStatusCode, outcome.nextAttemptAt, deliveryId)
  }

  async deliveriesOf(webhookId: string, { limit, cursor }: { limit: number; cursor?: string }) {
    const before = cursor === undefined ? Number.MAX_SAFE_INTEGER : Number.parseInt(cursor, 10) || 0
    const rows = this.#db
      .prepare<[string, number, number], DeliveryRow>('SELECT * FROM webhook_deliveries WHERE webhook_id = ? AND position < ? ORDER BY position DESC LIMIT ?')
      .all(webhookId, before, limit + 1)
    const page = rows.slice(0, limit)
    return { items: page.map(deliveryOf), nextCursor: rows.length > limit ? String(page.at(-1)!.position) : null }
  }

  async close(): Promise<void> {
    this.#db.close()
  }
}
