/** What the HTTP plugins and projectors are given: configuration and the ports, already connected. */
import type { EventLog } from '../eventlog/port.ts'
import type { ReadModelStore } from '../readmodels/port.ts'
import type { Cache, IntegrationBus, KeyStore, MediaStore } from '../adapters/ports.ts'
import type { S3MediaOptions } from '../adapters/production/s3Media.ts'

/** The servers of the production adapters; a port whose server is not configured runs embedded under dataDir. */
export interface ProductionSettings {
  /** KurrentDB connection string (EVENTSTORE_URL). */
  eventStoreUrl?: string
  /** Read models and personal-data keys; the URL names the database (MONGODB_URL). */
  mongodbUrl?: string
  /** Cache, token revocations, rate-limit counters (REDIS_URL). */
  redisUrl?: string
  /** Integration events (KAFKA_BROKERS, comma-separated; KAFKA_TOPIC). */
  kafka?: { brokers: string[]; topic?: string }
  /** Media (S3_BUCKET, S3_ENDPOINT, S3_REGION, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY). */
  s3?: S3MediaOptions
}

export type PortName = 'eventLog' | 'readModels' | 'cache' | 'keys' | 'media' | 'bus'

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
  reservationMinutes: number
  /** Longest wait for x-min-position, milliseconds. */
  minPositionWaitMs: number
  /** Products whose scan JSON the query API keeps in memory; 0: none. */
  scanCacheSize: number
  /** Fastify's trustProxy (TRUST_PROXY): which proxies' X-Forwarded-For names the client; unset: the TCP peer is. */
  trustProxy?: boolean | string
  /** A code scanned from more than `networks` client networks within `windowMinutes` is a possible cloned label. */
  scanAnomaly: { networks: number; windowMinutes: number }
  logLevel: string
  production: ProductionSettings
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
  media: MediaStore
  bus: IntegrationBus
  readiness: Record<PortName, PortReadiness>
  clock: () => Date
  /** A new ULID. */
  newId: () => string
  /** Resolves true once every projection has applied `position`, false after timeoutMs. */
  waitForPosition(position: number, timeoutMs: number): Promise<boolean>
}
