/** Small numeric helpers for latencies measured in this process. */

/** The p-th percentile (0..100) by nearest rank of an unsorted sample; NaN for an empty one. */
export function percentile(sample: readonly number[], p: number): number {
  if (sample.length === 0) return Number.NaN
  const sorted = [...sample].sort((a, b) => a - b)
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!
}

export interface Summary {
  count: number
  mean: number
  p50: number
  p90: number
  p99: number
  max: number
}

export function summarize(sample: readonly number[]): Summary {
  const mean = sample.reduce((total, value) => total + value, 0) / sample.length
  return {
    count: sample.length,
    mean: round(mean),
    p50: round(percentile(sample, 50)),
    p90: round(percentile(sample, 90)),
    p99: round(percentile(sample, 99)),
    max: round(Math.max(...sample)),
  }
}

export const round = (value: number, digits = 3): number => {
  if (!Number.isFinite(value)) return value
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}

/** Milliseconds since `start` (a process.hrtime.bigint()). */
export const msSince = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6

/**
 * Of rounds that each measured a figure and its baseline back to back, the one with the median ratio (the lower
 * of the two middle ones for an even count): neither the luckiest round nor the unluckiest.
 */
export function medianRound<T>(rounds: readonly T[], ratio: (round: T) => number): T {
  if (rounds.length === 0) throw new Error('no rounds to choose from')
  const sorted = [...rounds].sort((a, b) => ratio(a) - ratio(b))
  return sorted[Math.floor((sorted.length - 1) / 2)]!
}
