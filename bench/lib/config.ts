/** The configuration every benchmark process (seeding, server, workers) shares for one data folder. */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AppConfig } from '../../app/context.ts'
import { loadConfig } from '../../app/config.ts'

/** Fixed, so that the seeding process, the server and the workers sign and verify alike. */
export const BENCH_SECRETS = { JWT_SECRET: 'bench-jwt-secret-0123456789abcdef', SIGNING_SECRET: 'bench-signing-secret-0123456789ab' }
export const PUBLIC_BASE_URL = 'https://ptvem.example'

/**
 * What a benchmark app's environment may add: production servers instead of embedded adapters (the event log
 * stays SQLite): MongoDB read models and data keys, the Redis cache; and the size of the query API's scan cache.
 */
export interface AppEnv {
  MONGODB_URL?: string
  REDIS_URL?: string
  SCAN_CACHE_SIZE?: string
}

export function benchConfig(dataDir: string, logLevel = 'warn', env: AppEnv = {}): AppConfig {
  return loadConfig({
    ...env,
    DATA_DIR: dataDir,
    ...BENCH_SECRETS,
    PUBLIC_BASE_URL,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: logLevel,
    // One load generator is one client address: the per-address limits would measure themselves.
    RATE_LIMIT_AUTH: '1000000',
    RATE_LIMIT: '1000000000',
    RATE_LIMIT_COSTLY: '1000000000',
    LIVE_STREAMS_PER_ADDRESS: '100000',
    JWT_EXPIRES_IN: String(24 * 3600),
    MIN_POSITION_WAIT_MS: '5000',
  })
}

/** The files of the embedded adapters, as app/embedded.ts names them. */
export const dataFiles = (dataDir: string) => ({
  events: join(dataDir, 'events.sqlite'),
  keys: join(dataDir, 'keys.sqlite'),
  readModels: join(dataDir, 'readmodels.sqlite'),
})

export interface DataDir {
  path: string
  remove(): Promise<void>
}

export async function newDataDir(name: string, root: string | undefined, keep: boolean): Promise<DataDir> {
  const path = await mkdtemp(join(root ?? tmpdir(), `ptvem-bench-${name}-`))
  return { path, remove: async () => (keep ? undefined : rm(path, { recursive: true, force: true })) }
}
