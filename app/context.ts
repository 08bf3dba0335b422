/** What the HTTP plugins and projectors are given: configuration and the ports, already connected. */
import type { EventLog } from '../eventlog/port.ts'
import type { ReadModelStore } from '../readmodels/port.ts'
import type { Cache, IntegrationBus, KeyStore, MediaStore } from '../adapters/ports.ts'

export interface AppConfig {
  port: number
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
  logLevel: string
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
  clock: () => Date
  /** A new ULID. */
  newId: () => string
  /** Resolves true once every projection has applied `position`, false after timeoutMs. */
  waitForPosition(position: number, timeoutMs: number): Promise<boolean>
}
