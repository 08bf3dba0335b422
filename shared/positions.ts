/** Log positions and times as read from headers, query strings and command-line arguments. */
import { HttpProblem } from '../http/problem.ts'

/** A 400 for an input the schemas cannot check, e.g. `invalid('/querystring/at', 'must be an ISO-8601 time')`. */
export const invalid = (path: string, message: string) => new HttpProblem(400, 'Bad Request', `${path} ${message}`, [{ path, message }])

const DECIMAL = /^\d{1,16}$/
/** The shape of the times read from query strings (the schemas document it; Date.parse has the last word). */
export const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/

/** A log position (a decimal string); a 400 naming `path` otherwise. */
export function parsePosition(value: string, path: string): number {
  const position = DECIMAL.test(value.trim()) ? Number(value.trim()) : Number.NaN
  if (!Number.isSafeInteger(position)) throw invalid(path, 'must be a log position (a decimal integer)')
  return position
}

/**
 * Whether the fields written are a real date and clock time: Date.parse rolls 2024-02-30 over to March 1,
 * so the fields are put together again and must come back unchanged.
 */
function isRealTime(value: string): boolean {
  const fields = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(value)?.slice(1) ?? []
  const [year = Number.NaN, month = Number.NaN, day = Number.NaN, hours = 0, minutes = 0, seconds = 0] = fields.map(field => Number(field ?? 0))
  const time = new Date(0)
  time.setUTCFullYear(year, month - 1, day)
  time.setUTCHours(hours, minutes, seconds)
  return (
    time.getUTCFullYear() === year && time.getUTCMonth() === month - 1 && time.getUTCDate() === day &&
    time.getUTCHours() === hours && time.getUTCMinutes() === minutes && time.getUTCSeconds() === seconds
  )
}

/** An ISO-8601 time, as milliseconds since the epoch; a 400 naming `path` otherwise (30 February included). */
export function parseInstant(value: string, path: string): number {
  const time = ISO_TIME.test(value) && isRealTime(value) ? Date.parse(value) : Number.NaN
  if (Number.isNaN(time)) throw invalid(path, 'must be an ISO-8601 time')
  return time
}
