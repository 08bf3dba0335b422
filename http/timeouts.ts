/**
 * How long a client may take. Node closes a connection whose headers take longer than `headers`, whose request
 * takes longer than `upload` (the longest any route allows), that sits idle for `idle`, or that is kept alive
 * unused for `keepAlive`; this plugin closes, sooner, a request whose body is still arriving after `request`,
 * on every route but those with `config: { upload: true }`. A refusal sent before a large body has arrived closes
 * the connection, so that the rest of the body is never read.
 */
import fp from 'fastify-plugin'
import type { ServerOptions } from 'node:http'
import type { FastifyPluginAsync } from 'fastify'
import type { ServerTimeouts } from '../app/context.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route takes large bodies: its body may take the upload allowance. */
    upload?: boolean
  }
}

/** Node checks headers and request timeouts on a timer of its own (30 s by default): often enough for `headers`. */
const CHECK_EVERY_MS = 1000

export const serverTimeouts = (timeouts: ServerTimeouts): { connectionTimeout: number; keepAliveTimeout: number; requestTimeout: number; http: ServerOptions } => ({
  connectionTimeout: timeouts.idle,
  keepAliveTimeout: timeouts.keepAlive,
  requestTimeout: timeouts.upload,
  http: { headersTimeout: timeouts.headers, connectionsCheckingInterval: Math.min(CHECK_EVERY_MS, timeouts.headers) },
})

const hasBody = ({ headers }: { headers: Record<string, unknown> }) =>
  headers['transfer-encoding'] !== undefined || (headers['content-length'] !== undefined && headers['content-length'] !== '0')

/**
 * A refused body up to this size is still read, and dropped, so that its client reads the answer: one still sending
 * when the connection closes sees a broken pipe, not the refusal. A larger one (or one of unknown size) is not read.
 */
const DROPPED_BYTES = 64 * 1024

const largeBody = ({ headers }: { headers: Record<string, unknown> }) =>
  headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > DROPPED_BYTES

const plugin: FastifyPluginAsync<{ requestMs: number }> = async (app, { requestMs }) => {
  // An answer given before a large body was read (a refusal) closes the connection: the rest is never read.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (!request.raw.complete && largeBody(request)) reply.header('connection', 'close')
    done(null, payload)
  })
  app.addHook('onRequest', (request, reply, done) => {
    const raw = request.raw
    if (raw.complete || !hasBody(request) || request.routeOptions.config.upload) return done()
    const timer = setTimeout(() => {
      if (!raw.complete) raw.socket.destroy()
    }, requestMs)
    const clear = () => clearTimeout(timer)
    raw.once('end', clear)
    reply.raw.once('close', clear)
    done()
  })
}

export const bodyDeadline = fp(plugin, { name: 'ptvem-body-deadline' })
