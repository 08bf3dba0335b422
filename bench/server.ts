/**
 * A server under test, in a process of its own (forked by lib/processes.ts): either the whole app on the
 * embedded adapters, as `npm start` runs it (or with MongoDB read models and the Redis cache), or a bare
 * Fastify route answering a constant body (a baseline).
 * It listens on 127.0.0.1 on a free port, reports it, and closes cleanly when told to, so that a
 * `node --cpu-prof` profile gets written.
 */
import Fastify, { type FastifyInstance } from 'fastify'
import { buildApp } from '../app/buildApp.ts'
import { createLogger } from '../app/logger.ts'
import type { AppEnv } from './lib/config.ts'
import { caughtUp, startBenchService, type Service } from './lib/service.ts'

export type ServerSpec =
  /** The app on the embedded adapters, or with the production servers `env` names for some ports (lib/service.ts). */
  | { mode: 'app'; dataDir: string; logLevel: string; env?: AppEnv }
  | { mode: 'bare'; route: string; body: string; contentType: string }

let app: FastifyInstance | undefined
let embedded: Service | undefined

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
    const log = createLogger(spec.logLevel)
    embedded = await startBenchService(spec.dataDir, spec.logLevel, spec.env, log)
    const { ctx } = embedded
    if (!(await caughtUp(embedded, await ctx.rawEventLog.headPosition(), CATCH_UP_TIMEOUT_MS))) throw new Error('the projections did not catch up')
    app = (await buildApp(ctx, { log })) as unknown as FastifyInstance
    if (spec.env?.MONGODB_URL) {
      // Requests the load generator gave up on at the end of its run may still be reading MongoDB when it stops.
      app.addHook('onRequest', (_request, _reply, done) => {
        inFlight++
        done()
      })
      app.addHook('onSend', (_request, _reply, payload, done) => {
        inFlight--
        done(null, payload)
      })
    }
  }
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('no TCP address')
  return address.port
}

let inFlight = 0
const DRAIN_MS = 10_000

async function stop(): Promise<void> {
  await app?.close()
  // Closing the ports under a request still running would fail it noisily (MongoDB: client closed); see above.
  for (const deadline = Date.now() + DRAIN_MS; inFlight > 0 && Date.now() < deadline; ) await new Promise(resolve => setTimeout(resolve, 10))
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
