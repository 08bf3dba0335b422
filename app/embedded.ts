/** The AppContext on the embedded adapters (SQLite files and a media folder under DATA_DIR), projections running. */
import { join } from 'node:path'
import { monotonicFactory } from 'ulid'
import type { FastifyBaseLogger } from 'fastify'
import type { AppConfig, AppContext } from './context.ts'
import { SqliteEventLog } from '../eventlog/sqlite.ts'
import { SqliteReadModelStore } from '../readmodels/sqlite.ts'
import { encryptingEventLog } from '../adapters/personalData.ts'
import { cachedKeyStore } from '../adapters/cachedKeyStore.ts'
import { InProcessBus } from '../adapters/embedded/inProcessBus.ts'
import { LocalFolderMedia } from '../adapters/embedded/localFolderMedia.ts'
import { MemoryCache } from '../adapters/embedded/memoryCache.ts'
import { SqliteKeyStore } from '../adapters/embedded/sqliteKeyStore.ts'
import { ProjectionRunner } from '../projectors/runner.ts'

export interface Embedded {
  ctx: AppContext
  /** Stops the projections, then closes every adapter. */
  close(): Promise<void>
}

export interface EmbeddedOptions {
  log: FastifyBaseLogger
  clock?: () => Date
}

export async function startEmbedded(config: AppConfig, { log, clock = () => new Date() }: EmbeddedOptions): Promise<Embedded> {
  const file = (name: string) => join(config.dataDir, name)
  const rawEventLog = new SqliteEventLog(file('events.sqlite'))
  const keys = cachedKeyStore(new SqliteKeyStore(file('keys.sqlite')))
  const eventLog = encryptingEventLog(rawEventLog, keys, {
    onUndecryptable: (error, event) => log.warn({ err: error, position: event.position }, 'personal data did not decrypt'),
  })
  const readModels = new SqliteReadModelStore(file('readmodels.sqlite'))
  const runner = new ProjectionRunner({ eventLog, store: readModels, onError: error => log.error({ err: error }, 'projection failed') })
  await runner.start()
  const newUlid = monotonicFactory()
  const ctx: AppContext = {
    config,
    eventLog,
    rawEventLog,
    readModels,
    cache: new MemoryCache(),
    keys,
    media: new LocalFolderMedia(file('media')),
    bus: new InProcessBus(),
    clock,
    newId: () => newUlid(),
    waitForPosition: (position, timeoutMs) => runner.waitForPosition(position, timeoutMs),
  }
  return {
    ctx,
    async close() {
      await runner.stop()
      for (const port of [ctx.bus, ctx.media, ctx.cache, ctx.readModels, ctx.keys, rawEventLog]) await port.close()
    },
  }
}
