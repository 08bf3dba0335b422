/**
 * A server under test, in a process of its own (forked by lib/processes.ts): either the whole app on the
 * embedded adapters, as `npm start` runs it, or a bare Fastify route answering a constant body (a baseline).
 * It listens on 127.0.0.1 on a free port, reports it, and closes cleanly when told to, so that a
 * `node --cpu-prof` profile gets written.
 */
import Fastify, { type FastifyInstance } from 'fastify'
import { startEmbedded } from '../app/embedded.ts'
import { buildApp } from '../app/buildApp.ts'
import { createLogger } from '../app/logger.ts'
import { benchConfig } from './lib/config.ts'

export type ServerSpec =
  | { mode: 'app'; dataDir: string; logLevel: string }
  | { mode: 'bare'; route: string; body: string; contentType: string }

type Embedded = Awaited<ReturnType<typeof startEmbedded>>

let app: FastifyInstance | undefined
let embedded: Embedded | undefined

/** Waits until the projections have applied the whole log, so that no catch-up runs under the load. */
const CATCH_UP_TIMEOUT_MS = 30 * 60_000

async function start(spec: ServerSpec): Promise<number> {
  if (spec.mode === 'bare') {
    const bare = Fastify({ logger: false })
    bare.get(spec.route, (_request, reply) => {
      reply.type(spec.contentType).send(spec.body)
    })
    app = bare
  } else {
    const config = benchConfig(spec.dataDir, spec.logLevel)
    const log = createLogger(config.logLevel)
    embedded = await startEmbedded(config, { log })
    const { ctx } = embedded
    if (!(await ctx.waitForPosition(await ctx.rawEventLog.headPosition(), CATCH_UP_TIMEOUT_MS))) throw new Error('the projections did not catch up')
    app = (await buildApp(ctx, { log })) as unknown as FastifyInstance
  }
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('no TCP address')
  return address.port
}

async function stop(): Promise<void> {
  await app?.close()
  await embedded?.close()
}

const send = (message: object) => process.send!(message)

process.on('message', (message: { type: string; spec?: ServerSpec }) => {
  if (message.type === 'start') {
    start(message.spec!).then(
      port => send({ type: 'ready', port }),
      (error: Error) => {
        send({ type: 'error', message: error.message, stack: error.stack })
        process.exit(1)
      },
    )
  } else if (message.type === 'stop') {
    stop().then(
      () => {
        send({ type: 'stopped', maxRssMb: process.resourceUsage().maxRSS / 1024 })
        process.disconnect()
        // Exiting normally (not by a signal) lets --cpu-prof write its profile.
        process.exitCode = 0
        setTimeout(() => process.exit(0), 100).unref()
      },
      (error: Error) => {
        send({ type: 'error', message: error.message, stack: error.stack })
        process.exit(1)
      },
    )
  }
})
