/**
 * The small ports besides the event log and the read models. Each has an embedded implementation
 * (adapters/embedded) and a production one (Redis, Kafka, S3), and one contract suite.
 */

/** QR look-ups, token revocation, rate-limit counters. Values are strings; ttl in seconds. */
export interface Cache {
  get(key: string): Promise<string | null>
  set(key: string, value: string, ttlSeconds?: number): Promise<void>
  /**
   * Adds 1 to the counter at `key` in one atomic step and resolves with the new count: of any number of
   * concurrent calls, each gets a count of its own. A new counter (absent or expired) starts at 1 and expires
   * after ttlSeconds; later increments do not extend that, so the window begins with the first. `get` reads the
   * count as a decimal string.
   */
  increment(key: string, ttlSeconds: number): Promise<number>
  /**
   * Notes `member` at `key` as seen at `nowMs`, forgets members last seen `windowMs` or longer before it, and
   * resolves with the number of distinct members left (this one included). The set expires `windowMs` after its
   * last note. Of any number of concurrent calls, each counts the members noted before it. Apart from the keys of
   * get, set and increment; delete removes it too.
   */
  countDistinct(key: string, member: string, window: { windowMs: number; nowMs: number }): Promise<number>
  delete(key: string): Promise<void>
  close(): Promise<void>
}

/** Per-subject data keys for personal data; erasing a subject deletes its key (crypto-shredding). */
export interface KeyStore {
  /** The subject's key, created on first use. */
  keyFor(subjectId: string): Promise<Buffer>
  /** null once erased (or never created). */
  find(subjectId: string): Promise<Buffer | null>
  delete(subjectId: string): Promise<void>
  close(): Promise<void>
}

export interface IntegrationMessage {
  /** The stream id: one product's messages keep their order. */
  key: string
  eventId: string
  type: string
  position: number
  value: string
}

/** Integration events leaving the log (in-process bus embedded, Kafka in production). At-least-once. */
export interface IntegrationBus {
  publish(messages: readonly IntegrationMessage[]): Promise<void>
  /** Delivers messages to one consumer group; a message is redelivered until its handler resolves. */
  consume(group: string, handler: (message: IntegrationMessage) => Promise<void>, signal?: AbortSignal): Promise<void>
  close(): Promise<void>
}

export interface StoredMedia {
  body: Buffer
  contentType: string
  size: number
  uploaderId: string
}

/** Uploaded images (a local folder embedded, S3 in production). */
export interface MediaStore {
  put(mediaId: string, media: StoredMedia): Promise<void>
  get(mediaId: string): Promise<StoredMedia | null>
  /** A short-lived signed URL where the store can serve the file itself (S3), else null: the API streams it. */
  signedUrl(mediaId: string, expiresInSeconds: number): Promise<string | null>
  delete(mediaId: string): Promise<void>
  close(): Promise<void>
}

export type ApiKeyScope = 'lifecycle:write' | 'passport:read' | 'webhooks'

/** A partner's API key as stored: never the key itself, only its SHA-256 hash. */
export interface StoredApiKey {
  keyId: string
  ownerId: string
  name: string
  scopes: ApiKeyScope[]
  hash: string
  createdAt: string
  lastUsedAt: string | null
}

/** Partners' API keys, outside the event log: a revocation holds from the next request, and every use is noted. */
export interface ApiKeyStore {
  addKey(key: StoredApiKey): Promise<void>
  /** The key with this hash, unless revoked. */
  keyByHash(hash: string): Promise<StoredApiKey | null>
  /** The key, unless revoked. */
  keyById(keyId: string): Promise<StoredApiKey | null>
  /** The owner's keys that are not revoked, oldest first. */
  keysOf(ownerId: string): Promise<StoredApiKey[]>
  /** false when no such key is in use. */
  revokeKey(keyId: string, at: string): Promise<boolean>
  noteKeyUse(keyId: string, at: string): Promise<void>
  close(): Promise<void>
}

/** One read of a restricted passport view. */
export interface PassportAccess {
  productId: string
  at: string
  viewerId: string
  role: string
  view: 'professional' | 'authority'
  via: 'token' | 'key'
}

/**
 * Who read the restricted passport views: durable, but not the event log and not a read model (a rebuild
 * derives read models from the log, and these reads are not in it).
 */
export interface AccessLog {
  recordAccess(access: PassportAccess): Promise<void>
  /** A product's reads, newest first; `cursor` is the nextCursor of the page before. */
  accessesOf(productId: string, page: { limit: number; cursor?: string }): Promise<{ items: PassportAccess[]; nextCursor: string | null }>
  close(): Promise<void>
}

/** A brand's or partner's webhook. `secret` (`whsec_…`) signs its deliveries. */
export interface Webhook {
  webhookId: string
  ownerId: string
  url: string
  events: string[]
  secret: string
  createdAt: string
  /** The head of the log when it was registered: it receives only later events. */
  after: number
}

/** `retrying`: waiting for its next attempt (the first, while `attempts` is 0). */
export type DeliveryStatus = 'delivered' | 'retrying' | 'failed'

/** One event for one webhook; `deliveryId` is the `webhook-id` of every attempt. */
export interface Delivery {
  deliveryId: string
  webhookId: string
  eventType: string
  /** The event's log position. */
  position: number
  /** The JSON body every attempt sends. */
  payload: string
  status: DeliveryStatus
  attempts: number
  lastStatusCode: number | null
  /** null once delivered or failed. */
  nextAttemptAt: string | null
  /** When it was first due: retries stop a day after it. */
  createdAt: string
}

export type DeliveryOutcome = Pick<Delivery, 'status' | 'attempts' | 'lastStatusCode' | 'nextAttemptAt'>

/**
 * Webhooks and their deliveries, outside the event log and the read models: a registration holds a secret, a
 * deletion holds from the next delivery, and the retry schedule survives restarts and rebuilds.
 */
export interface WebhookStore {
  addWebhook(webhook: Webhook): Promise<void>
  /** The webhook, unless deleted. */
  webhookById(webhookId: string): Promise<Webhook | null>
  /** The owner's webhooks that are not deleted, oldest first. */
  webhooksOf(ownerId: string): Promise<Webhook[]>
  /** The webhooks of any of these owners, not deleted. */
  webhooksOfAny(ownerIds: readonly string[]): Promise<Webhook[]>
  /** false when no such webhook is in use. */
  deleteWebhook(webhookId: string, at: string): Promise<boolean>
  /** Adds the deliveries not already there (by deliveryId); one already there keeps its state. */
  enqueue(deliveries: readonly Delivery[]): Promise<void>
  /**
   * Up to `limit` retrying deliveries due at `now`, oldest due first, each moved to `leaseUntil` so that no other
   * dispatcher takes it meanwhile (and one that dies mid-attempt leaves it due again then).
   */
  claimDue(now: string, leaseUntil: string, limit: number): Promise<Delivery[]>
  recordOutcome(deliveryId: string, outcome: DeliveryOutcome): Promise<void>
  /** A webhook's deliveries, newest event first; `cursor` is the nextCursor of the page before. */
  deliveriesOf(webhookId: string, page: { limit: number; cursor?: string }): Promise<{ items: Delivery[]; nextCursor: string | null }>
  close(): Promise<void>
}
