/**
 * Read-your-writes: a read carrying `x-min-position` waits until every projection has applied that log
 * position, bounded by config.minPositionWaitMs (2 s unless configured), then answers with whatever the read models hold.
 */
import type { FastifyRequest, onRequestHookHandler } from 'fastify'
import type { AppContext } from '../app/context.ts'
import { parsePosition } from '../shared/positions.ts'

const HEADER = 'x-min-position'

/** The position a read asks for, 0 if none; a 400 if it is not a position. */
export function minPositionOf(request: FastifyRequest): number {
  const header = request.headers[HEADER]
  return header === undefined ? 0 : parsePosition(Array.isArray(header) ? header.join(',') : header, `/headers/${HEADER}`)
}

/** A callback hook: a read without the header, such as every QR scan, costs no promise. */
export const minPositionHook =
  (ctx: AppContext): onRequestHookHandler =>
  (request, _reply, done) => {
    // A bad header throws here; Fastify answers it as it does a hook's error.
    const position = minPositionOf(request)
    if (position === 0) return done()
    ctx.waitForPosition(position, ctx.config.minPositionWaitMs).then(() => done(), done)
  }
