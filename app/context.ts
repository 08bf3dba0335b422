/** What the HTTP plugins and projectors are given: configuration and the ports, already connected. */
import type { EventLog } from '../eventlog/port.ts'
import type { ReadModelStore } from '../readmodels/port.ts'
import type { AccessLog, ApiKeyStore, Cache, IntegrationBus, KeyStore, MediaStore, WebhookStore } from '../adapters/ports.ts'
import type { S3MediaOptions } from '../adapters/production/s3Media.ts'

/** The servers of the production adapters; a port whose server is not configured runs embedded under dataDir. */
export interface ProductionSettings {
  /** KurrentDB connection string (EVENTSTORE_URL). */
  eventStoreUrl?: string
  /** The event log on PostgreSQL; the URL names the database (POSTGRES_URL). */
  postgresUrl?: string
  /** Read models, personal-data keys, API keys, the passport access log, webhooks and their deliveries; the URL names the database (MONGODB_URL). */
  mongodbUrl?: string
  /** Cache, token revocations, rate-limit counters (REDIS_URL). */
  redisUrl?: string
  /** Integration events (KAFKA_BROKERS, comma-separated; KAFKA_TOPIC). */
  kafka?: { brokers: string[]; topic?: string }
  /** Media (S3_BUCKET, S3_ENDPOINT, S3_REGION, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY). */
  s3?: S3MediaOptions
}

export type PortName = 'eventLog' | 'readModels' | 'cache' | 'keys' | 'partners' | 'webhooks' | 'media' | 'bus'

/** What GET /ready reports of one port. */
export interface PortReadiness {
  /** Which implementation serves the port, e.g. `mongodb` or `sqlite`. */
  implementation: string
  /** false when requests are still answered correctly without it (the cache, the bus): reported, but no reason for 503. */
  required: boolean
  /** Resolves when the port answers; rejects with the reason when it does not. */
  check(): Promise<unknown>
}

export interface AppConfig {
  port: number
  /** When set (METRICS_PORT), /metrics is served on a listener of its own on this port, and not on `port`. */
  metricsPort?: number
  host: string
  dataDir: string
  /** Base of QR URLs and links on the public page, without a trailing slash. */
  publicBaseUrl: string
  jwtSecret: string
  /** Access token lifetime, seconds. */
  jwtExpiresIn: number
  /** Keys the HMACs of QR codes and the keyed email hash; generated and kept in dataDir when unset. */
  signingSecret: string
  adminEmail?: string
  adminPassword?: string
  /** Register + login requests per minute per client address. */
  rateLimitAuth: number
  /** Fastify's trustProxy (TRUST_PROXY): whose X-Forwarded-For names the client address; false: the TCP peer. */
  trustProxy: boolean | string
  /** Requests per client address and minute, on every route and on the costly ones (history, live, QR images, uploads). */
  rateLimit: { perMinute: number; costlyPerMinute: number }
  limits: Limits
  reservationMinutes: number
  /** Longest wait for x-min-position, milliseconds. */
  minPositionWaitMs: number
  /** Products whose scan JSON the query API keeps in memory; 0: none. */
  scanCacheSize: number
  /** A code scanned from more than `networks` client networks within `windowMinutes` is a possible cloned label. */
  scanAnomaly: { networks: number; windowMinutes: number }
  logLevel: string
  webhooks: WebhookSettings
  production: ProductionSettings
}

/** How webhooks are delivered. */
export interface WebhookSettings {
  /** Whether webhook URLs may reach private, loopback and link-local addresses (WEBHOOKS_ALLOW_PRIVATE). */
  allowPrivate: boolean
  /** How long one delivery attempt may take, milliseconds (WEBHOOK_TIMEOUT_MS). */
  timeoutMs: number
  /** Delivery attempts under way at once per dispatcher, at most (WEBHOOK_CONCURRENCY). */
  concurrency: number
}

/** What one client may hold or spend; see the README's "Limits and timeouts". */
export interface Limits {
  /** Open live streams per client address (429 beyond) and per process (503 beyond). */
  liveStreamsPerAddress: number
  liveStreamsPerProcess: number
  /** A live stream that has sent no message for this long is closed with a retry hint, milliseconds. */
  liveIdleMs: number
  /** Uploads per user and minute, and per user and day. */
  uploadsPerMinute: number
  uploadsPerDay: number
  /** Passwords hashed or checked at once, and how many may wait for a turn (503 beyond). */
  passwordHashing: { concurrent: number; waiting: number }
  /** Failed logins for one email from all addresses together within the lock-out window (429 beyond). */
  loginFailuresPerEmail: number
  timeouts: ServerTimeouts
}

/** Milliseconds. */
export interface ServerTimeouts {
  /** The request line and headers must arrive within this. */
  headers: number
  /** A request's body must arrive within this ... */
  request: number
  /** ... or this, on upload routes. */
  upload: number
  /** An idle keep-alive connection is closed after this. */
  keepAlive: number
  /** A connection on which nothing moves for this long is closed. */
  idle: number
}

export interface AppContext {
  config: AppConfig
  /** Personal data is encrypted on append and decrypted on read (adapters/personalData). */
  eventLog: EventLog
  /** The log as stored, ciphertext included: audit and hash-chain verification read this one. */
  rawEventLog: EventLog
  readModels: ReadModelStore
  cache: Cache
  keys: KeyStore
  /** Partners' API keys (the `partners` port). */
  apiKeys: ApiKeyStore
  /** Reads of restricted passport views (the `partners` port). */
  accessLog: AccessLog
  /** Webhooks and their deliveries (the `webhooks` port). */
  webhooks: WebhookStore
  media: MediaStore
  bus: IntegrationBus
  readiness: Record<PortName, PortReadiness>
  clock: () => Date
  /** A new ULID. */
  newId: () => string
  /** Resolves true once every projection has applied `position`, false after timeoutMs. */
  waitForPosition(position: number, timeoutMs: number): Promise<boolean>
}

/** What the command side is given: the log and the ports, but no read models, since rules never read projections. */
export type CommandApiContext = Omit<AppContext, 'readModels'>
