/**
 * What a write route passes to handleCommand besides the command data: who asks, with which roles, when
 * (the time the request arrived, from ctx.clock), and the ids that tie the resulting events to the request.
 */
import fp from 'fastify-plugin'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { AppContext } from '../app/context.ts'
import type { Role } from '../domain/user/events.ts'
import { authUser } from './auth.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** ISO time the request arrived, from ctx.clock. */
    receivedAt: string
  }
}

export interface CommandContext {
  actorId: string
  roles: Role[]
  now: string
  correlationId: string
  causationId: string
}

const CORRELATION_HEADER = 'x-correlation-id'
/**
 * What a caller may give as x-correlation-id: an id, short, of characters that need no escaping anywhere. It is
 * stored in clear in every event the request appends, so anything else (an email, free text, a token) is
 * ignored and the request id stands in.
 */
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,64}$/

const requestTimePlugin: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.decorateRequest('receivedAt', '')
  const isoTime = isoTimes()
  // A callback hook, not an async one: every request runs it, and a promise per request shows in the QR scan's profile.
  app.addHook('onRequest', (request, _reply, done) => {
    request.receivedAt = isoTime(ctx.clock())
    done()
  })
}

/**
 * Times as ISO text, the last one remembered: under load many requests come in within the same millisecond,
 * and toISOString is the dearest step of the hook every request runs.
 */
function isoTimes(): (time: Date) => string {
  let lastMs = Number.NaN
  let lastText = ''
  return time => {
    const ms = time.getTime()
    if (ms !== lastMs) {
      lastMs = ms
      lastText = time.toISOString()
    }
    return lastText
  }
}

export const requestTime = fp(requestTimePlugin, { name: 'ptvem-request-time' })

/**
 * Serves as both the command's metadata and handleCommand's CommandMetadata. The actor is the caller
 * (401 without a valid token) unless given, as when registering, where the new user is the actor.
 */
export function commandMetadata(request: FastifyRequest, actor?: { userId: string; roles: Role[] }): CommandContext {
  const { userId, roles } = actor ?? authUser(request)
  const correlation = request.headers[CORRELATION_HEADER]
  return {
    actorId: userId,
    roles,
    now: request.receivedAt,
    correlationId: typeof correlation === 'string' && CORRELATION_ID.test(correlation) ? correlation : request.id,
    causationId: request.id,
  }
}
