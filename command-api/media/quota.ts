/**
 * Uploads per user and day (UTC), counted in ctx.cache: a 429 with retry-after beyond the quota. Like the login
 * counters, it fails closed (503) while the counter store is down.
 */
import type { CommandApiContext } from '../../app/context.ts'
import { HttpProblem } from '../../http/problem.ts'

const DAY_MS = 24 * 60 * 60_000

export async function countUpload(ctx: CommandApiContext, userId: string): Promise<void> {
  const now = ctx.clock().getTime()
  const day = Math.floor(now / DAY_MS)
  const count = await ctx.cache.increment(`uploads:${userId}:${day}`, DAY_MS / 1000)
  if (count <= ctx.config.limits.uploadsPerDay) return
  const retryAfter = Math.ceil(((day + 1) * DAY_MS - now) / 1000)
  throw new HttpProblem(429, 'Too Many Requests', `at most ${ctx.config.limits.uploadsPerDay} uploads a day`, undefined, { 'retry-after': String(retryAfter) })
}
