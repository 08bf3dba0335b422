/** An ISO time `minutes` after another. */
export const minutesAfter = (time: string, minutes: number): string => new Date(Date.parse(time) + minutes * 60_000).toISOString()
