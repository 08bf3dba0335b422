/**
 * Login lock-out: after MAX_FAILURES failed logins for one email within the window, every login for that
 * email is refused (429) until the window that began with the first failure has passed. Counters live in
 * ctx.cache, keyed by the email's keyed hash.
 *
 * Each attempt is counted before its password is checked, in one atomic increment, and a success clears the
 * count. Parallel attempts then each get a number of their own, and at most MAX_FAILURES passwords are ever
 * checked per window, however many requests arrive at once. Where the counters live on a server (Redis) that
 * is down, the increment fails closed: logins answer 503 until it is back (adapters/degradingCache.ts), rather
 * than going uncounted.
 */
import type { CommandApiContext } from '../../app/context.ts'
import { HttpProblem } from '../../http/problem.ts'

const MAX_FAILURES = 10
const WINDOW_MS = 15 * 60_000

const attemptsKey = (emailHash: string) => `login-attempts:${emailHash}`
/** When the window began, by ctx.clock: what retry-after and the end of the window are measured from. */
const sinceKey = (emailHash: string) => `login-attempts-since:${emailHash}`

async function countAttempt(ctx: CommandApiContext, emailHash: string, now: number): Promise<{ attempt: number; since: number }> {
  const windowSeconds = WINDOW_MS / 1000
  const begin = async () => ctx.cache.set(sinceKey(emailHash), String(now), windowSeconds)
  const attempt = await ctx.cache.increment(attemptsKey(emailHash), windowSeconds)
  if (attempt === 1) {
    await begin()
    return { attempt, since: now }
  }
  const stored = await ctx.cache.get(sinceKey(emailHash))
  // Unknown while the first attempt has not written it yet, or once lost: the window is taken to begin now.
  const since = stored === null ? now : Number(stored)
  if (now < since + WINDOW_MS) return { attempt, since }

  // Over by the clock, while the cache, which expires on a clock of its own and rounds up to the second, still
  // holds the count: a new window.
  await ctx.cache.delete(attemptsKey(emailHash))
  const restarted = await ctx.cache.increment(attemptsKey(emailHash), windowSeconds)
  if (restarted === 1) await begin()
  return { attempt: restarted, since: now }
}

/** Counts this login attempt; 429 with retry-after when MAX_FAILURES attempts before it in the window failed. */
export async function countLoginAttempt(ctx: CommandApiContext, emailHash: string): Promise<void> {
  const now = ctx.clock().getTime()
  const { attempt, since } = await countAttempt(ctx, emailHash, now)
  if (attempt <= MAX_FAILURES) return
  const retryAfter = Math.max(1, Math.ceil((since + WINDOW_MS - now) / 1000))
  throw new HttpProblem(429, 'Too Many Requests', 'too many failed logins for this email; try again later', undefined, {
    'retry-after': String(retryAfter),
  })
}

export async function clearLoginAttempts(ctx: CommandApiContext, emailHash: string): Promise<void> {
  await ctx.cache.delete(attemptsKey(emailHash))
}
