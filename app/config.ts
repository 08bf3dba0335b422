/** AppConfig from the environment. Secrets left unset are generated once and kept in DATA_DIR. */
import { randomBytes } from 'node:crypto'
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { AppConfig, ProductionSettings } from './context.ts'

type Env = Record<string, string | undefined>

function integer(env: Env, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`)
  return value
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
  if (env.JWT_SECRET && env.SIGNING_SECRET) return { jwtSecret: env.JWT_SECRET, signingSecret: env.SIGNING_SECRET }
  const stored = storedSecrets(dataDir)
  return { jwtSecret: env.JWT_SECRET || stored.jwtSecret, signingSecret: env.SIGNING_SECRET || stored.signingSecret }
}

function production(env: Env): ProductionSettings {
  const brokers = (env.KAFKA_BROKERS ?? '').split(',').map(broker => broker.trim()).filter(Boolean)
  return {
    eventStoreUrl: env.EVENTSTORE_URL || undefined,
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

export function loadConfig(env: Env = process.env): AppConfig {
  const port = integer(env, 'PORT', 3000)
  const dataDir = resolve(env.DATA_DIR || './data')
  mkdirSync(dataDir, { recursive: true })
  return {
    port,
    host: env.HOST || '0.0.0.0',
    dataDir,
    publicBaseUrl: (env.PUBLIC_BASE_URL || `http://localhost:${port}`).replace(/\/+$/, ''),
    ...secrets(env, dataDir),
    jwtExpiresIn: integer(env, 'JWT_EXPIRES_IN', 3600),
    adminEmail: env.ADMIN_EMAIL || undefined,
    adminPassword: env.ADMIN_PASSWORD || undefined,
    rateLimitAuth: integer(env, 'RATE_LIMIT_AUTH', 100),
    reservationMinutes: integer(env, 'RESERVATION_MINUTES', 15),
    minPositionWaitMs: integer(env, 'MIN_POSITION_WAIT_MS', 2000),
    logLevel: env.LOG_LEVEL || 'info',
    production: production(env),
  }
}
