/**
 * AppConfig from the environment. Secrets left unset are generated once and kept in DATA_DIR; a value that
 * cannot work (a short secret, a zero lifetime) stops the start with a message naming the variable.
 */
import { randomBytes } from 'node:crypto'
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { AppConfig, Limits, ProductionSettings } from './context.ts'

type Env = Record<string, string | undefined>

function integer(env: Env, name: string, fallback: number, { min = 0 } = {}): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isSafeInteger(value) || value < min) {
    throw new Error(`${name} must be ${min === 0 ? 'a non-negative integer' : `an integer of at least ${min}`}, got "${raw}"`)
  }
  return value
}

/** HS256 and HMAC keys: shorter than the hash's 32 bytes, a key is guessable offline from one token or QR code. */
const MIN_SECRET_BYTES = 32

function assertStrong(name: string, secret: string): void {
  const bytes = Buffer.byteLength(secret, 'utf8')
  if (bytes < MIN_SECRET_BYTES) {
    throw new Error(`${name} must be at least ${MIN_SECRET_BYTES} bytes, got ${bytes}: use a random one (e.g. \`openssl rand -base64 32\`), or leave it unset to have one generated`)
  }
}

interface Secrets {
  jwtSecret: string
  signingSecret: string
}

const isCode = (error: unknown, code: string) => (error as NodeJS.ErrnoException).code === code

/**
 * Generated secrets survive restarts, so tokens and signed QR codes stay valid. Processes sharing DATA_DIR
 * and starting together agree on one set: it is written whole to a file of its own, then linked into place,
 * which fails for all but the first.
 */
function storedSecrets(dataDir: string): Secrets {
  const path = join(dataDir, 'secrets.json')
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Secrets
  } catch (error) {
    if (!isCode(error, 'ENOENT')) throw error
  }
  const secrets = { jwtSecret: randomBytes(32).toString('base64url'), signingSecret: randomBytes(32).toString('base64url') }
  const written = `${path}.${process.pid}.tmp`
  writeFileSync(written, JSON.stringify(secrets), { mode: 0o600 })
  try {
    linkSync(written, path)
    return secrets
  } catch (error) {
    if (!isCode(error, 'EEXIST')) throw error
    return JSON.parse(readFileSync(path, 'utf8')) as Secrets
  } finally {
    rmSync(written)
  }
}

function secrets(env: Env, dataDir: string): Secrets {
  if (env.JWT_SECRET) assertStrong('JWT_SECRET', env.JWT_SECRET)
  if (env.SIGNING_SECRET) assertStrong('SIGNING_SECRET', env.SIGNING_SECRET)
  if (env.JWT_SECRET && env.SIGNING_SECRET) return { jwtSecret: env.JWT_SECRET, signingSecret: env.SIGNING_SECRET }
  const stored = storedSecrets(dataDir)
  return { jwtSecret: env.JWT_SECRET || stored.jwtSecret, signingSecret: env.SIGNING_SECRET || stored.signingSecret }
}

/** The operations port, when /metrics is to leave the public one. */
function metricsPort(env: Env, port: number): number | undefined {
  if (!env.METRICS_PORT) return undefined
  const metrics = integer(env, 'METRICS_PORT', 0)
  if (metrics !== 0 && metrics === port) throw new Error(`METRICS_PORT must differ from PORT (${port}): it keeps /metrics off the public port`)
  return metrics
}

function production(env: Env): ProductionSettings {
  if (env.EVENTSTORE_URL && env.POSTGRES_URL) throw new Error('EVENTSTORE_URL and POSTGRES_URL both name an event log: set one of them')
  const brokers = (env.KAFKA_BROKERS ?? '').split(',').map(broker => broker.trim()).filter(Boolean)
  return {
    eventStoreUrl: env.EVENTSTORE_URL || undefined,
    postgresUrl: env.POSTGRES_URL || undefined,
    mongodbUrl: env.MONGODB_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    kafka: brokers.length > 0 ? { brokers, topic: env.KAFKA_TOPIC || undefined } : undefined,
    s3: env.S3_BUCKET
      ? {
          bucket: env.S3_BUCKET,
          endpoint: env.S3_ENDPOINT || undefined,
          region: env.S3_REGION || 'us-east-1',
          accessKeyId: env.S3_ACCESS_KEY_ID || undefined,
          secretAccessKey: env.S3_SECRET_ACCESS_KEY || undefined,
        }
      : undefined,
  }
}

/** TRUST_PROXY as Fastify's trustProxy: `true` (any proxy), or the proxies' addresses and CIDRs (comma-separated). */
function trustProxy(env: Env): boolean | string {
  const raw = env.TRUST_PROXY?.trim()
  if (!raw || raw === 'false') return false
  return raw === 'true' ? true : raw
}

function limits(env: Env): Limits {
  return {
    liveStreamsPerAddress: integer(env, 'LIVE_STREAMS_PER_ADDRESS', 50, { min: 1 }),
    liveStreamsPerProcess: integer(env, 'LIVE_STREAMS_PER_PROCESS', 5000, { min: 1 }),
    liveIdleMs: integer(env, 'LIVE_IDLE_SECONDS', 600, { min: 1 }) * 1000,
    uploadsPerMinute: integer(env, 'UPLOADS_PER_MINUTE', 10, { min: 1 }),
    uploadsPerDay: integer(env, 'UPLOADS_PER_DAY', 200, { min: 1 }),
    passwordHashing: {
      concurrent: integer(env, 'PASSWORD_HASH_CONCURRENCY', 4, { min: 1 }),
      waiting: integer(env, 'PASSWORD_HASH_QUEUE', 64),
    },
    loginFailuresPerEmail: integer(env, 'LOGIN_FAILURES_PER_EMAIL', 100, { min: 10 }),
    timeouts: {
      headers: integer(env, 'HEADERS_TIMEOUT_MS', 10_000, { min: 1 }),
      request: integer(env, 'REQUEST_TIMEOUT_MS', 30_000, { min: 1 }),
      upload: integer(env, 'UPLOAD_TIMEOUT_MS', 120_000, { min: 1 }),
      keepAlive: integer(env, 'KEEP_ALIVE_TIMEOUT_MS', 10_000, { min: 1 }),
      idle: integer(env, 'IDLE_TIMEOUT_MS', 30_000, { min: 1 }),
    },
  }
}

export function loadConfig(env: Env = process.env): AppConfig {
  const port = integer(env, 'PORT', 3000)
  const dataDir = resolve(env.DATA_DIR || './data')
  mkdirSync(dataDir, { recursive: true })
  return {
    port,
    metricsPort: metricsPort(env, port),
    host: env.HOST || '0.0.0.0',
    dataDir,
    publicBaseUrl: (env.PUBLIC_BASE_URL || `http://localhost:${port}`).replace(/\/+$/, ''),
    ...secrets(env, dataDir),
    jwtExpiresIn: integer(env, 'JWT_EXPIRES_IN', 3600, { min: 1 }),
    adminEmail: env.ADMIN_EMAIL || undefined,
    adminPassword: env.ADMIN_PASSWORD || undefined,
    rateLimitAuth: integer(env, 'RATE_LIMIT_AUTH', 100),
    trustProxy: trustProxy(env),
    rateLimit: { perMinute: integer(env, 'RATE_LIMIT', 3000, { min: 1 }), costlyPerMinute: integer(env, 'RATE_LIMIT_COSTLY', 300, { min: 1 }) },
    limits: limits(env),
    reservationMinutes: integer(env, 'RESERVATION_MINUTES', 15, { min: 1 }),
    minPositionWaitMs: integer(env, 'MIN_POSITION_WAIT_MS', 2000),
    scanCacheSize: integer(env, 'SCAN_CACHE_SIZE', 100_000),
    scanAnomaly: {
      networks: integer(env, 'SCAN_ANOMALY_NETWORKS', 5, { min: 1 }),
      windowMinutes: integer(env, 'SCAN_ANOMALY_WINDOW_MINUTES', 60, { min: 1 }),
    },
    logLevel: env.LOG_LEVEL || 'info',
    webhooks: {
      allowPrivate: env.WEBHOOKS_ALLOW_PRIVATE === 'true',
      timeoutMs: integer(env, 'WEBHOOK_TIMEOUT_MS', 10_000, { min: 1 }),
      concurrency: integer(env, 'WEBHOOK_CONCURRENCY', 8, { min: 1 }),
    },
    production: production(env),
  }
}
