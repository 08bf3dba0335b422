/**
 * The ports the audit commands work on, built by the application's own composition (app/openPorts.ts): the
 * production adapter of each port whose server is configured (EVENTSTORE_URL or POSTGRES_URL, MONGODB_URL, …), the embedded
 * one under DATA_DIR otherwise. No projections run here: a command reports on the read models as it finds
 * them, and a rebuild runs its own.
 */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import pino from 'pino'
import { loadConfig } from '../app/config.ts'
import { openPorts as openAppPorts } from '../app/openPorts.ts'
import type { Cache, KeyStore, MediaStore } from '../adapters/ports.ts'
import type { EventLog } from '../eventlog/port.ts'
import type { ReadModelStore } from '../readmodels/port.ts'
import { UsageError } from './command.ts'
import type { Io } from './io.ts'
import { MongoCollectionSwap } from './rebuild/mongoSwap.ts'
import { SqliteCollectionSwap } from './rebuild/sqliteSwap.ts'
import type { CollectionSwap } from './rebuild/swap.ts'

/** Long enough for loadConfig, which refuses a short secret; nothing is signed or verified with it. */
const UNUSED = 'not-used-by-the-audit-cli-which-signs-nothing'

export interface AuditPorts {
  /** The log as stored, personal data sealed: what the hash chain covers. */
  rawEventLog: EventLog
  /** The same log with personal data opened (null once its subject is erased). */
  eventLog: EventLog
  readModels: ReadModelStore
  keys: KeyStore
  /** Uploaded photos: an erasure deletes the erased user's. */
  media: MediaStore
  /** Shared with the API only where REDIS_URL is set: an erasure refuses the user's tokens there at once. */
  cache: Cache
  /** null where the read-model store cannot swap collections. */
  swap: CollectionSwap | null
  close(): Promise<void>
}

export async function openPorts(io: Io): Promise<AuditPorts> {
  if (!io.env.EVENTSTORE_URL && !io.env.POSTGRES_URL) {
    // Resolved as app/config.ts does, before loadConfig creates the folder: auditing a mistyped DATA_DIR must not.
    const events = join(resolve(io.env.DATA_DIR || './data'), 'events.sqlite')
    if (!existsSync(events)) throw new UsageError(`no event log at ${events} (set DATA_DIR, or EVENTSTORE_URL or POSTGRES_URL)`)
  }
  // The audit signs nothing; given secrets keep loadConfig from generating and storing a set in DATA_DIR.
  const config = loadConfig({ JWT_SECRET: UNUSED, SIGNING_SECRET: UNUSED, ...io.env })
  // Warnings (a cache down, personal data that did not decrypt) go to stderr: stdout carries the results.
  const log = pino({ level: 'warn' }, { write: (line: string) => io.stderr.write(line) })
  const ports = await openAppPorts(config, log)
  let swap: CollectionSwap | null
  try {
    swap = await openSwap(ports.readiness.readModels.implementation, config.dataDir, config.production.mongodbUrl)
  } catch (error) {
    await ports.close()
    throw error
  }
  return {
    rawEventLog: ports.rawEventLog,
    eventLog: ports.eventLog,
    readModels: ports.readModels,
    keys: ports.keys,
    media: ports.media,
    cache: ports.cache,
    swap,
    async close() {
      await swap?.close()
      await ports.close()
    },
  }
}

/** The swap of the read-model store the app opened, on a connection of its own. */
async function openSwap(implementation: string, dataDir: string, mongodbUrl: string | undefined): Promise<CollectionSwap | null> {
  if (implementation === 'sqlite') return new SqliteCollectionSwap(join(dataDir, 'readmodels.sqlite'))
  if (implementation === 'mongodb' && mongodbUrl) return MongoCollectionSwap.connect(mongodbUrl)
  return null
}
