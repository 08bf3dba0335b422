/**
 * Login lock-out that a stranger cannot trigger for someone else:
 * - failures are counted per (email, client address): after MAX_FAILURES from one address within the window,
 *   that address's logins for that email are refused (429) until the window that began with its first failure has
 *   passed; each later lock-out of the same pair within a day lasts twice as long as the one before it. The owner,
 *   coming from elsewhere, still logs in.
 * - a ceiling per email, `loginFailuresPerEmail` password checks within the window from every address together,
 *   stops guessing spread over many addresses; it locks the email everywhere until that window passes.
 *
 * Each attempt is counted before its password is checked, in one atomic increment, and a success clears its pair's
 * count. Parallel attempts then each get a number of their own, and at most MAX_FAILURES passwords are ever checked
 * per pair and window, however many requests arrive at once. Counters live in ctx.cache, keyed by the email's keyed
 * hash. Where they live on a server (Redis) that is down, the increment fails closed: logins answer 503 until it is
 * back (adapters/degradingCache.ts), rather than going uncounted.
 */
import type { CommandApiContext } from '../../app/context.ts'
import { HttpProblem } from '../../http/problem.ts'

const MAX_FAILURES = 10
const WINDOW_MS = 15 * 60_000
/** How long a pair's lock-outs are remembered, and the longest one. */
const STRIKES_MS = 24 * 60 * 60_000

const pairOf = (emailHash: string, address: string) => `${emailHash}:${address}`
const attemptsKey = (subject: string) => `login-attempts:${subject}`
/** When the window began, by ctx.clock: what retry-after and the end of the window are measured from. */
const sinceKey = (subject: string) => `login-attempts-since:${subject}`
const strikesKey = (pair: string) => `login-strikes:${pair}`
const lockedUntilKey = (pair: string) => `login-locked-until:${pair}`

/** Counts an attempt on `subject`'s counter: its number in the window, and when the window began. */
async function countAttempt(ctx: CommandApiContext, subject: string, now: number): Promise<{ attempt: number; since: number }> {
  const windowSeconds = WINDOW_MS / 1000
  const begin = async () => ctx.cache.set(sinceKey(subject), String(now), windowSeconds)
  const attempt = await ctx.cache.increment(attemptsKey(subject), windowSeconds)
  if (attempt === 1) {
    await begin()
    return { attempt, since: now }
  }
  const stored = await ctx.cache.get(sinceKey(subject))
  // Unknown while the first attempt has not written it yet, or once lost: the window is taken to begin now.
  const since = stored === null ? now : Number(stored)
  if (now < since + WINDOW_MS) return { attempt, since }

  // Over by the clock, while the cache, which expires on a clock of its own and rounds up to the second, still
  // holds the count: a new window.
  await ctx.cache.delete(attemptsKey(subject))
  const restarted = await ctx.cache.increment(attemptsKey(subject), windowSeconds)
  if (restarted === 1) await begin()
  return { attempt: restarted, since: now }
}

const lockedOut = (until: number, now: number, detail: string) =>
  new HttpProblem(429, 'Too Many Requests', detail, undefined, { 'retry-after': String(Math.max(1, Math.ceil((until - now) / 1000))) })

/** Counts this login attempt; 429 with retry-after while its (email, address) pair or the email is locked out. */
export async function countLoginAttempt(ctx: CommandApiContext, emailHash: string, address: string): Promise<void> {
  const now = ctx.clock().getTime()
  const pair = pairOf(emailHash, address)
  const lockedUntil = Number((await ctx.cache.get(lockedUntilKey(pair))) ?? 0)
  if (now < lockedUntil) throw lockedOut(lockedUntil, now, 'too many failed logins for this email from here; try again later')

  const { attempt, since } = await countAttempt(ctx, pair, now)
  if (attempt > MAX_FAILURES) {
    const strikes = await ctx.cache.increment(strikesKey(pair), STRIKES_MS / 1000)
    const until = Math.min(since + WINDOW_MS * 2 ** (strikes - 1), now + STRIKES_MS)
    await ctx.cache.set(lockedUntilKey(pair), String(until), Math.ceil((until - now) / 1000))
    throw lockedOut(until, now, 'too many failed logins for this email from here; try again later')
  }

  const everywhere = await countAttempt(ctx, emailHash, now)
  if (everywhere.attempt > ctx.config.limits.loginFailuresPerEmail) {
    throw lockedOut(everywhere.since + WINDOW_MS, now, 'too many failed logins for this email; try again later')
  }
}

export async function clearLoginAttempts(ctx: CommandApiContext, emailHash: string, address: string): Promise<void> {
  await ctx.cache.delete(attemptsKey(pairOf(emailHash, address)))
}
