/**
 * When a failed delivery is tried again: exponential backoff from FIRST_DELAY_MS, doubling up to MAX_DELAY_MS, each
 * delay jittered down by up to a fifth so that deliveries failing together spread out; given up once an attempt
 * fails RETRY_WINDOW_MS or more after the delivery was first due, so a receiver has at least a day to come back.
 */
export const FIRST_DELAY_MS = 5_000
export const MAX_DELAY_MS = 6 * 60 * 60_000
export const RETRY_WINDOW_MS = 24 * 60 * 60_000

/**
 * The time of the next attempt after `attempts` failed ones, or null to give up. `random` is in [0, 1), from the
 * caller (the domain has no random source).
 */
export function nextAttemptAt({ attempts, firstDueAt, failedAt, random }: { attempts: number; firstDueAt: Date; failedAt: Date; random: number }): Date | null {
  if (failedAt.getTime() - firstDueAt.getTime() >= RETRY_WINDOW_MS) return null
  const delay = Math.min(FIRST_DELAY_MS * 2 ** (attempts - 1), MAX_DELAY_MS)
  return new Date(failedAt.getTime() + Math.round(delay * (1 - random / 5)))
}
