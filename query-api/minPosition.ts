/**
 * Read-your-writes: a read carrying `x-min-position` waits until every projection has applied that log
 * position, bounded by config.minPositionWaitMs (2 s unless configured), then answers with whatever the read models hold.
 */
import type { onRequestAsyncHookHandler } from 'fastify'
import type { AppContext } from '../app/context.ts'
import { parsePosition } from './positions.ts'

const HEADER = 'x-min-position'

export const minPositionHook =
  (ctx: AppContext): onRequestAsyncHookHandler =>
  async request => {
    const header = request.headers[HEADER]
    if (header === undefined) return
    const position = parsePosition(Array.isArray(header) ? header.join(',') : header, `/headers/${HEADER}`)
    await ctx.waitForPosition(position, ctx.config.minPositionWaitMs)
  }
