/**
 * Each user's uploads per day (UTC), in number and in bytes, counted in ctx.cache: a 429 with retry-after beyond
 * either quota. Like the login counters, they fail closed (503) while the counter store is down.
 */
import type { CommandApiContext } from '../../app/context.ts'
import { HttpProblem } from '../../http/problem.ts'

const DAY_MS = 24 * 60 * 60_000

function today(ctx: CommandApiContext) {
  const now = ctx.clock().getTime()
  const day = Math.floor(now / DAY_MS)
  const overQuota = (detail: string) =>
    new HttpProblem(429, 'Too Many Requests', detail, undefined, { 'retry-after': String(Math.ceil(((day + 1) * DAY_MS - now) / 1000)) })
  return { day, overQuota }
}

/** Counts one more upload, refused or not; a 429 beyond UPLOADS_PER_DAY, or once the day's bytes are spent. */
export async function countUpload(ctx: CommandApiContext, userId: string): Promise<void> {
  const { day, overQuota } = today(ctx)
  const { uploadsPerDay, uploadBytesPerDay } = ctx.config.limits
  const count = await ctx.cache.increment(`uploads:${userId}:${day}`, DAY_MS / 1000)
  if (count > uploadsPerDay) throw overQuota(`at most ${uploadsPerDay} uploads a day`)
  if (Number(await ctx.cache.get(`upload-bytes:${userId}:${day}`)) >= uploadBytesPerDay) throw overQuota(`at most ${uploadBytesPerDay} bytes of uploads a day`)
}

/** Counts the bytes of an upload as received; a 429 when they take the day's total beyond UPLOAD_BYTES_PER_DAY. */
export async function countUploadBytes(ctx: CommandApiContext, userId: string, bytes: number): Promise<void> {
  const { day, overQuota } = today(ctx)
  const { uploadBytesPerDay } = ctx.config.limits
  const total = await ctx.cache.increment(`upload-bytes:${userId}:${day}`, DAY_MS / 1000, bytes)
  if (total > uploadBytesPerDay) throw overQuota(`at most ${uploadBytesPerDay} bytes of uploads a day`)
}
