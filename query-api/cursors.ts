/** Page cursors of the routes that page by log position. */
import { InvalidCursor } from '../readmodels/port.ts'

/** An opaque page cursor that resumes after a log position. */
export const positionCursor = (position: number): string => Buffer.from(`p:${position}`).toString('base64url')

export function afterPositionCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0
  const position = Number(/^p:(\d{1,16})$/.exec(Buffer.from(cursor, 'base64url').toString())?.[1] ?? Number.NaN)
  if (!Number.isSafeInteger(position)) throw new InvalidCursor()
  return position
}
