/** Log positions as the query side reads them from headers and cursors; a malformed one is a 400. */
import { HttpProblem } from '../http/problem.ts'

export function parsePosition(value: string, path: string): number {
  const position = /^\d{1,16}$/.test(value.trim()) ? Number(value.trim()) : Number.NaN
  if (!Number.isSafeInteger(position)) {
    throw new HttpProblem(400, 'Bad Request', `${path} must be a log position (a decimal integer)`, [
      { path, message: 'must be a decimal integer' },
    ])
  }
  return position
}

/** An opaque page cursor that resumes after a log position. */
export const positionCursor = (position: number): string => Buffer.from(`p:${position}`).toString('base64url')

export function afterPositionCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0
  const match = /^p:(\d{1,16})$/.exec(Buffer.from(cursor, 'base64url').toString())
  const position = match ? Number(match[1]) : Number.NaN
  if (!Number.isSafeInteger(position)) {
    throw new HttpProblem(400, 'Bad Request', 'cursor is not valid for this query', [
      { path: '/querystring/cursor', message: 'is not a cursor this list gave out' },
    ])
  }
  return position
}

/** An ISO-8601 time query parameter, as milliseconds since the epoch. */
export function parseInstant(value: string, path: string): number {
  const time = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(value) ? Date.parse(value) : Number.NaN
  if (Number.isNaN(time)) {
    throw new HttpProblem(400, 'Bad Request', `${path} must be an ISO-8601 time`, [{ path, message: 'must be an ISO-8601 time' }])
  }
  return time
}
