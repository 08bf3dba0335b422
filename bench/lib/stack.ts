/**
 * The production servers of the native stack (scripts/stack/up.sh), for a suite that measures the app on them:
 * a MongoDB database of its own (a new name per run, dropped afterwards) and a Redis database index of its own
 * (one found empty and claimed with a marker key; the app's key prefix `ptvem:` is fixed, so the index is what
 * keeps the run apart). Releasing deletes only what the run wrote there: the database, the `ptvem:*` keys of
 * the claimed index and the marker.
 */
import { MongoClient } from 'mongodb'
import { Redis } from 'ioredis'
import type { BenchOptions } from './options.ts'
import type { AppEnv } from './config.ts'

export const STACK_HINT = 'scripts/stack/up.sh starts them; eval "$(bash scripts/stack/env.sh)" sets them'

/** The app's key prefix (adapters/production/redisCache.ts) and the QR look-up keys under it (readmodels/documents.ts: qrCacheKey). */
const APP_PREFIX = 'ptvem:'
const QR_KEYS = `${APP_PREFIX}qr:*`
const CLAIM_KEY = 'ptvem-bench:claimed-by'
const CLAIM_SECONDS = 2 * 3600
const TIMEOUT_MS = 3000

export interface Stack {
  /** What the app is configured with: MONGODB_URL naming the run's database, REDIS_URL the claimed index. */
  env: Required<Pick<AppEnv, 'MONGODB_URL' | 'REDIS_URL'>>
  database: string
  redisDb: number
  /** How many QR look-up keys the claimed index holds. */
  qrKeys(): Promise<number>
  /** Redis' own counters of GET hits and misses (the whole server's, every index). */
  keyspaceStats(): Promise<{ hits: number; misses: number }>
  /** Drops the database, deletes the run's keys, and disconnects. */
  release(): Promise<void>
}

const withPath = (url: string, path: string) => {
  const parsed = new URL(url)
  parsed.pathname = `/${path}`
  return parsed.toString()
}

async function scanKeys(redis: Redis, pattern: string, each: (keys: string[]) => Promise<unknown>): Promise<void> {
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000)
    cursor = next
    if (keys.length) await each(keys)
  } while (cursor !== '0')
}

/** A Redis index that was empty, claimed with a marker key; null when every index is in use. */
async function claimIndex(redis: Redis, run: string): Promise<number | null> {
  const databases = Number(((await redis.config('GET', 'databases')) as string[])[1] ?? 16)
  // Index 0 is where everything else goes by default.
  for (let db = 1; db < databases; db++) {
    await redis.select(db)
    if ((await redis.dbsize()) > 0) continue
    if ((await redis.set(CLAIM_KEY, run, 'EX', CLAIM_SECONDS, 'NX')) !== 'OK') continue
    if ((await redis.dbsize()) === 1) return db
    await redis.del(CLAIM_KEY)
  }
  return null
}

/** The stack, or why there is none: a server unset or not answering. */
export async function openStack(options: Pick<BenchOptions, 'mongodbUrl' | 'redisUrl'>): Promise<Stack | { why: string }> {
  const { mongodbUrl, redisUrl } = options
  const unset = [!mongodbUrl && 'MONGODB_URL', !redisUrl && 'REDIS_URL'].filter(Boolean)
  if (!mongodbUrl || !redisUrl) return { why: `${unset.join(' and ')} not set (${STACK_HINT})` }

  const run = `${Date.now().toString(36)}_${process.pid}`
  const database = `ptvem_bench_${run}`
  const mongo = new MongoClient(withPath(mongodbUrl, database), { serverSelectionTimeoutMS: TIMEOUT_MS })
  const redis = new Redis(redisUrl, { lazyConnect: true, connectTimeout: TIMEOUT_MS, maxRetriesPerRequest: 1, retryStrategy: () => null })
  redis.on('error', () => {})
  try {
    await mongo.connect()
    await mongo.db().command({ ping: 1 })
  } catch (error) {
    await mongo.close().catch(() => {})
    return { why: `MongoDB at ${mongodbUrl} does not answer: ${(error as Error).message}` }
  }
  let redisDb: number | null
  try {
    await redis.connect()
    redisDb = await claimIndex(redis, run)
  } catch (error) {
    redis.disconnect()
    await mongo.close()
    return { why: `Redis at ${redisUrl} does not answer: ${(error as Error).message}` }
  }
  if (redisDb === null) {
    redis.disconnect()
    await mongo.close()
    return { why: `Redis at ${redisUrl} has no empty database index for the run` }
  }

  let released: Promise<void> | undefined
  return {
    env: { MONGODB_URL: withPath(mongodbUrl, database), REDIS_URL: withPath(redisUrl, String(redisDb)) },
    database,
    redisDb,
    async qrKeys() {
      let count = 0
      await scanKeys(redis, QR_KEYS, async keys => (count += keys.length))
      return count
    },
    async keyspaceStats() {
      const info = await redis.info('stats')
      const stat = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1] ?? Number.NaN)
      return { hits: stat('keyspace_hits'), misses: stat('keyspace_misses') }
    },
    release: () =>
      (released ??= (async () => {
        try {
          await mongo.db().dropDatabase()
          await scanKeys(redis, `${APP_PREFIX}*`, keys => redis.del(...keys))
          if ((await redis.get(CLAIM_KEY)) === run) await redis.del(CLAIM_KEY)
        } finally {
          await mongo.close()
          redis.disconnect()
        }
      })()),
  }
}
