/** The AppContext on the embedded adapters (SQLite files and a media folder under DATA_DIR), projections running. */
import { join } from 'node:path'
import { monotonicFactory } from 'ulid'
import type { AppConfig, AppContext } from './context.ts'
import { SqliteEventLog } from '../eventlog/sqlite.ts'
import { SqliteReadModelStore } from '../readmodels/sqlite.ts'
import { encryptingEventLog } from '../adapters/personalData.ts'
import { cachedKeyStore } from '../adapters/cachedKeyStore.ts'
import { InProcessBus } from '../adapters/embedded/inProcessBus.ts'
import { LocalFolderMedia } from '../adapters/embedded/localFolderMedia.ts'
import { MemoryCache } from '../adapters/embedded/memoryCache.ts'
import { SqliteKeyStore } from '../adapters/embedded/sqliteKeyStore.ts'

export interface Embedded {
  ctx: AppContext
  /** Stops the projections, then closes every adapter. */
  close(): Promise<void>
}

export async function startEmbedded(config: AppConfig, clock: () => Date = () => new Date()): Promise<Embedded> {
  const file = (name: string) => join(config.dataDir, name)
  const rawEventLog = new SqliteEventLog(file('events.sqlite'))
  const keys = cachedKeyStore(new SqliteKeyStore(file('keys.sqlite')))
  const newUlid = monotonicFactory()
  const ctx: AppContext = {
    config,
    eventLog: encryptingEventLog(rawEventLog, keys),
    rawEventLog,
    readModels: new SqliteReadModelStore(file('readmodels.sqlite')),
    cache: new MemoryCache(),
    keys,
    media: new LocalFolderMedia(file('media')),
    bus: new InProcessBus(),
    clock,
    newId: () => newUlid(),
    waitForPosition: async () => true,
  }
  return {
    ctx,
    async close() {
      for (const port of [ctx.bus, ctx.media, ctx.cache, ctx.readModels, ctx.keys, rawEventLog]) await port.close()
    },
  }
}
