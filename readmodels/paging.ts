/**
 * What every ReadModelStore shares about find: the sort spec, the limit, and the opaque keyset cursor
 * (base64url JSON of the sort it belongs to, the last item's sort value and its id).
 */
import { assertFieldPath } from './names.ts'
import { InvalidCursor, type FieldValue, type ReadModelDoc } from './port.ts'

export interface Sort {
  field: string
  descending: boolean
}

export interface CursorPosition {
  value: FieldValue
  id: string
}

const MAX_LIMIT = 100

export function parseSort(sort = 'id'): Sort {
  const descending = sort.startsWith('-')
  const field = descending ? sort.slice(1) : sort
  assertFieldPath(field)
  return { field, descending }
}

export function assertLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new RangeError(`limit must be 1..${MAX_LIMIT}, not ${limit}`)
}

/** A missing field, or one holding an object, sorts as null. */
export function valueAt(doc: object, path: string): FieldValue {
  let value: unknown = doc
  for (const key of path.split('.')) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : null
}

const sortKey = (sort: Sort) => (sort.descending ? '-' : '') + sort.field

export function encodeCursor(sort: Sort, last: ReadModelDoc): string {
  return Buffer.from(JSON.stringify({ s: sortKey(sort), v: valueAt(last, sort.field), i: last.id })).toString('base64url')
}

export function decodeCursor(sort: Sort, cursor: string): CursorPosition {
  const bytes = Buffer.from(cursor, 'base64url')
  // Node decodes base64 leniently (stray characters are dropped); a cursor must be exactly what we encoded.
  if (bytes.toString('base64url') !== cursor) throw new InvalidCursor()
  let parsed: unknown
  try {
    parsed = JSON.parse(bytes.toString('utf8'))
  } catch {
    throw new InvalidCursor()
  }
  if (typeof parsed !== 'object' || parsed === null) throw new InvalidCursor()
  const { s, v, i } = parsed as Record<string, unknown>
  const validValue = v === null || ['string', 'number', 'boolean'].includes(typeof v)
  if (s !== sortKey(sort) || typeof i !== 'string' || !validValue) throw new InvalidCursor()
  return { value: v as FieldValue, id: i }
}
