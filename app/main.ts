/** `npm start`: the whole service in one process on the embedded adapters. */
import { loadConfig } from './config.ts'
import { startEmbedded } from './embedded.ts'
import { buildApp } from './buildApp.ts'
import { createLogger } from './logger.ts'
import { start as startReservationExpiry } from '../command-api/reservationExpiry.ts'

const config = loadConfig()
const log = createLogger(config.logLevel)
const embedded = await startEmbedded(config, { log })
const app = await buildApp(embedded.ctx, { log })
const stopReservationExpiry = startReservationExpiry(embedded.ctx, app.log)

let stopping = false
async function shutdown(signal: string) {
  if (stopping) return
  stopping = true
  app.log.info({ signal }, 'shutting down')
  try {
    await app.close()
    await stopReservationExpiry()
    await embedded.close()
    process.exit(0)
  } catch (error) {
    app.log.error({ err: error }, 'shutdown failed')
    process.exit(1)
  }
}
process.on('SIGINT', () => void shutdown('SIGINT'))
process.on('SIGTERM', () => void shutdown('SIGTERM'))

await app.listen({ port: config.port, host: config.host })
