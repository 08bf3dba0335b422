/**
 * The service a benchmark process runs on a data folder: on the embedded adapters (app/embedded.ts, whatever
 * the environment says), or with the production servers `env` names (MongoDB read models and keys, Redis cache; the
 * event log stays the SQLite file). Either way it runs the projectors, as `npm start` does.
 */
import { startEmbedded } from '../../app/embedded.ts'
import { startService, type Service } from '../../app/service.ts'
import { createLogger } from '../../app/logger.ts'
import { PUBLISHER } from '../../projectors/publisher.ts'
import { qrCacheProjection } from '../../projectors/qrCache.ts'
import type { Cache } from '../../adapters/ports.ts'
import { benchConfig, type AppEnv } from './config.ts'

export type { Service }

export function startBenchService(dataDir: string, logLevel: string, env: AppEnv = {}, log = createLogger(logLevel)): Promise<Service> {
  const config = benchConfig(dataDir, logLevel, env)
  return env.MONGODB_URL || env.REDIS_URL ? startService(config, { log, projectors: true }) : startEmbedded(config, { log })
}

/** Projectors that ctx.waitForPosition does not wait for (each in a runner of its own), checkpointed in the read models. */
const OWN_RUNNERS = [qrCacheProjection(undefined as unknown as Cache).name, PUBLISHER]

/**
 * Waits until every projector has applied `position`: the read models and notifications (ctx.waitForPosition),
 * then the QR cache and the publisher, whose checkpoints are polled. False on timeout.
 */
export async function caughtUp({ ctx }: Service, position: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  if (!(await ctx.waitForPosition(position, timeoutMs))) return false
  for (;;) {
    const applied = await Promise.all(OWN_RUNNERS.map(name => ctx.readModels.getCheckpoint(name)))
    if (applied.every(checkpoint => checkpoint >= position)) return true
    if (Date.now() > deadline) return false
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}
