/**
 * Login lock-out: after MAX_FAILURES failed logins for one email within the window, every login for that
 * email is refused (429) until the window that began with the first failure has passed. Counters live in
 * ctx.cache, keyed by the email's keyed hash.
 */
import type { AppContext } from '../../app/context.ts'
import { HttpProblem } from '../../http/problem.ts'

const MAX_FAILURES = 10
const WINDOW_MS = 15 * 60_000

interface Failures {
  count: number
  since: number
}

const key = (emailHash: string) => `login-failures:${emailHash}`

async function failuresFor(ctx: AppContext, emailHash: string, now: number): Promise<Failures | null> {
  const stored = await ctx.cache.get(key(emailHash))
  const failures = stored === null ? null : (JSON.parse(stored) as Failures)
  return failures && now < failures.since + WINDOW_MS ? failures : null
}

/** 429 with retry-after while the email is locked. */
export async function assertNotLockedOut(ctx: AppContext, emailHash: string): Promise<void> {
  const now = ctx.clock().getTime()
  const failures = await failuresFor(ctx, emailHash, now)
  if (!failures || failures.count < MAX_FAILURES) return
  const retryAfter = Math.ceil((failures.since + WINDOW_MS - now) / 1000)
  throw new HttpProblem(429, 'Too Many Requests', 'too many failed logins for this email; try again later', undefined, {
    'retry-after': String(retryAfter),
  })
}

export async function recordFailedLogin(ctx: AppContext, emailHash: string): Promise<void> {
  const now = ctx.clock().getTime()
  const failures = (await failuresFor(ctx, emailHash, now)) ?? { count: 0, since: now }
  const ttlSeconds = Math.ceil((failures.since + WINDOW_MS - now) / 1000)
  await ctx.cache.set(key(emailHash), JSON.stringify({ ...failures, count: failures.count + 1 }), ttlSeconds)
}

export async function clearFailedLogins(ctx: AppContext, emailHash: string): Promise<void> {
  await ctx.cache.delete(key(emailHash))
}
