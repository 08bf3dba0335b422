/** `npm start`: the whole service in one process on the embedded adapters. */
import { loadConfig } from './config.ts'
import { startEmbedded } from './embedded.ts'
import { buildApp } from './buildApp.ts'

const config = loadConfig()
const embedded = await startEmbedded(config)
const app = await buildApp(embedded.ctx)

let stopping = false
async function shutdown(signal: string) {
  if (stopping) return
  stopping = true
  app.log.info({ signal }, 'shutting down')
  try {
    await app.close()
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
