/** Runs one process of the service, configured by the environment, until SIGINT or SIGTERM. */
import { loadConfig } from './config.ts'
import type { AppConfig } from './context.ts'
import { buildApp, type RouteGroup } from './buildApp.ts'
import { freePort } from './freePort.ts'
import { createLogger } from './logger.ts'
import { startService } from './service.ts'
import { bootstrapAdmin } from './bootstrapAdmin.ts'
import { metricsApp } from '../http/metrics.ts'
import { start as startReservationExpiry } from '../command-api/reservationExpiry.ts'
import { openReservations } from '../projectors/transactions.ts'
import { batchJobsOf } from '../command-api/batches/jobs.ts'

export interface ProcessRole {
  /** Whether the projectors run in this process. */
  projectors: boolean
  serves: readonly RouteGroup[]
}

/** PORT=0 asks for any free port: it is chosen before the app is built, so the default PUBLIC_BASE_URL names it. */
async function configure(): Promise<AppConfig> {
  const config = loadConfig()
  return config.port === 0 ? loadConfig({ ...process.env, PORT: String(await freePort(config.host)) }) : config
}

/** A configuration that cannot work stops the start, with the message naming the variable and nothing else. */
async function configureOrExit(): Promise<AppConfig> {
  try {
    return await configure()
  } catch (error) {
    createLogger('info').fatal(`invalid configuration: ${(error as Error).message}`)
    return process.exit(1)
  }
}

export async function runProcess({ projectors, serves }: ProcessRole): Promise<void> {
  const config = await configureOrExit()
  const log = createLogger(config.logLevel)
  const service = await startService(config, { log, projectors }).catch((error: unknown) => {
    log.fatal({ err: error }, 'could not start')
    return process.exit(1)
  })
  if (serves.includes('commands')) {
    await bootstrapAdmin(service.ctx, log).catch(async (error: unknown) => {
      log.fatal({ err: error }, 'could not create the admin account')
      await service.close()
      return process.exit(1)
    })
  }
  const app = await buildApp(service.ctx, { log, serves, rateLimitStore: service.rateLimitStore })
  const metricsListener = config.metricsPort === undefined ? null : metricsApp(app.metricsRegistry, log)
  const stopReservationExpiry = serves.includes('commands') ? startReservationExpiry({ ...service.ctx, openReservations: () => openReservations(service.ctx.readModels) }, app.log) : async () => {}
  // Batches a stopped process left running go on here; app.close stops them again.
  if (serves.includes('commands')) await batchJobsOf(service.ctx, app.log).resume()

  let stopping = false
  const shutdown = async (signal: string) => {
    if (stopping) return
    stopping = true
    log.info({ signal }, 'shutting down')
    try {
      await app.close()
      await metricsListener?.close()
      await stopReservationExpiry()
      await service.close()
      process.exit(0)
    } catch (error) {
      log.error({ err: error }, 'shutdown failed')
      process.exit(1)
    }
  }
  process.on('SIGINT', () => void shutdown('SIGINT'))
  process.on('SIGTERM', () => void shutdown('SIGTERM'))

  // The operations port first: once the public one answers, so does /metrics.
  await metricsListener?.listen({ port: config.metricsPort, host: config.host, listenTextResolver: address => `Metrics listening at ${address}` })
  await app.listen({ port: config.port, host: config.host })
}
