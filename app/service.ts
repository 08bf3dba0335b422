/** One process of the service: its ports, the projectors if it runs them, and the AppContext its routes get. */
import type { FastifyBaseLogger } from 'fastify'
import type { AppConfig, AppContext } from './context.ts'
import type { RateLimitStoreOptions } from '../http/rateLimit.ts'
import { watchCheckpoints } from './checkpointWatch.ts'
import { openPorts } from './openPorts.ts'
import { readModelCheckpoints, startProjectors, type Projectors } from './projections.ts'
import { ulidFactory } from './ids.ts'

export interface Service {
  ctx: AppContext
  /** Shared rate-limit counters, when Redis is configured. */
  rateLimitStore?: RateLimitStoreOptions
  /** Stops the projectors, then closes every port. */
  close(): Promise<void>
}

export interface ServiceOptions {
  log: FastifyBaseLogger
  clock?: () => Date
  /** Whether this process runs the projectors; one that does not waits on the checkpoints they save. */
  projectors: boolean
}

export async function startService(config: AppConfig, { log, clock = () => new Date(), projectors }: ServiceOptions): Promise<Service> {
  const ports = await openPorts(config, log)
  let running: Projectors | null = null
  try {
    if (projectors) running = await startProjectors(ports, log, { webhooks: config.webhooks, clock })
  } catch (error) {
    await ports.close()
    throw error
  }
  const { eventLog, rawEventLog, readModels, cache, keys, apiKeys, accessLog, webhooks, media, bus, readiness } = ports
  const newUlid = ulidFactory()
  const ctx: AppContext = {
    config,
    eventLog,
    rawEventLog,
    readModels,
    cache,
    keys,
    apiKeys,
    accessLog,
    webhooks,
    media,
    bus,
    readiness,
    clock,
    newId: () => newUlid(),
    waitForPosition:
      running?.waitForPosition ?? watchCheckpoints(readModels, readModelCheckpoints, { onError: error => log.warn({ err: error }, 'checkpoints unreadable') }),
  }
  return {
    ctx,
    rateLimitStore: ports.rateLimitStore,
    async close() {
      await running?.stop()
      await ports.close()
    },
  }
}
