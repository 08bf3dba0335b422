/**
 * The ports the audit commands work on, and the one seam where they are built. Embedded: the SQLite files
 * under DATA_DIR, opened without starting projections (a command reports on the read models as it finds them,
 * and a rebuild runs its own). Production (EVENTSTORE_URL / MONGODB_URL) plugs in here, behind the same ports.
 */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { cachedKeyStore } from '../adapters/cachedKeyStore.ts'
import { SqliteKeyStore } from '../adapters/embedded/sqliteKeyStore.ts'
import { encryptingEventLog } from '../adapters/personalData.ts'
import type { KeyStore } from '../adapters/ports.ts'
import type { EventLog } from '../eventlog/port.ts'
import { SqliteEventLog } from '../eventlog/sqlite.ts'
import type { ReadModelStore } from '../readmodels/port.ts'
import { SqliteReadModelStore } from '../readmodels/sqlite.ts'
import { UsageError } from './command.ts'
import type { Io } from './io.ts'
import { SqliteCollectionSwap } from './rebuild/sqliteSwap.ts'
import type { CollectionSwap } from './rebuild/swap.ts'

export interface AuditPorts {
  /** The log as stored, personal data sealed: what the hash chain covers. */
  rawEventLog: EventLog
  /** The same log with personal data opened (null once its subject is erased). */
  eventLog: EventLog
  readModels: ReadModelStore
  keys: KeyStore
  swap: CollectionSwap
  close(): Promise<void>
}

export async function openPorts(io: Io): Promise<AuditPorts> {
  if (io.env.EVENTSTORE_URL || io.env.MONGODB_URL) {
    throw new UsageError('EVENTSTORE_URL/MONGODB_URL are set, but the production adapters are not composed for the CLI yet (cli/ports.ts)')
  }
  // Resolved as app/config.ts does, without its side effects: auditing a mistyped DATA_DIR must not create one.
  const dataDir = resolve(io.env.DATA_DIR || './data')
  const file = (name: string) => join(dataDir, name)
  if (!existsSync(file('events.sqlite'))) throw new UsageError(`no event log at ${file('events.sqlite')} (set DATA_DIR)`)

  const rawEventLog = new SqliteEventLog(file('events.sqlite'))
  const keys = cachedKeyStore(new SqliteKeyStore(file('keys.sqlite')))
  const readModels = new SqliteReadModelStore(file('readmodels.sqlite'))
  const swap = new SqliteCollectionSwap(file('readmodels.sqlite'))
  const eventLog = encryptingEventLog(rawEventLog, keys, {
    onUndecryptable: (error, event) => io.stderr.write(`warning: personal data at position ${event.position} did not decrypt: ${error.message}\n`),
  })
  return {
    rawEventLog,
    eventLog,
    readModels,
    keys,
    swap,
    async close() {
      for (const port of [swap, readModels, keys, rawEventLog]) await port.close()
    },
  }
}
