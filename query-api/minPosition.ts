/**
 * Read-your-writes: a read carrying `x-min-position` waits until every projection has applied that log
 * position, bounded by config.minPositionWaitMs (2 s unless configured), then answers with whatever the read models hold.
 */
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify'
import type { AppContext } from '../app/context.ts'
import { parsePosition } from './positions.ts'

const HEADER = 'x-min-position'

/** The position a read asks for, 0 if none; a 400 if it is not a position. */
export function minPositionOf(request: FastifyRequest): number {
  const header = request.headers[HEADER]
  return header === undefined ? 0 : parsePosition(Array.isArray(header) ? header.join(',') : header, `/headers/${HEADER}`)
}

export const minPositionHook =
  (ctx: AppContext): onRequestAsyncHookHandler =>
  async request => {
    const position = minPositionOf(request)
    if (position > 0) await ctx.waitForPosition(position, ctx.config.minPositionWaitMs)
  }
