/**
 * Compiles FindOptions into SQL over a `(id, position, doc)` table. Field paths are validated and inlined
 * (an expression index is only used when the query spells the very same expression); values are always bound.
 * SQLite orders NULL < numbers < text, as MongoDB orders null < numbers < strings, so both stores page alike.
 */
import { assertFieldPath } from './names.ts'
import { decodeCursor, type Sort } from './paging.ts'
import type { Condition, FieldValue, FindOptions } from './port.ts'

type Bound = string | number | null

const COLUMNS = new Set(['id', 'position'])

export function fieldExpr(path: string): string {
  assertFieldPath(path)
  return COLUMNS.has(path) ? path : `json_extract(doc, '$.${path}')`
}

/** json_extract yields JSON booleans as 1/0. */
const bind = (value: FieldValue): Bound => (typeof value === 'boolean' ? Number(value) : value)

function conditionSql(expr: string, condition: Condition, params: Bound[]): string {
  if (condition === null) return `${expr} IS NULL`
  if (typeof condition !== 'object') {
    params.push(bind(condition))
    return `${expr} = ?`
  }
  if ('in' in condition) {
    const values = condition.in.filter(value => value !== null)
    params.push(...values.map(bind))
    const alternatives = values.length > 0 ? [`${expr} IN (${values.map(() => '?').join(', ')})`] : []
    if (values.length < condition.in.length) alternatives.push(`${expr} IS NULL`)
    return alternatives.length > 0 ? `(${alternatives.join(' OR ')})` : 'FALSE'
  }
  const bounds: string[] = []
  for (const [operator, value] of [['>=', condition.gte], ['<=', condition.lte]] as const) {
    if (value === undefined) continue
    bounds.push(`${expr} ${operator} ?`)
    params.push(value)
  }
  return bounds.length > 0 ? bounds.join(' AND ') : 'TRUE'
}

/** Rows after the cursor in (sort value, id) order; NULLs come first ascending and last descending. */
function afterCursorSql(expr: string, sort: Sort, cursor: string, params: Bound[]): string {
  const { value, id } = decodeCursor(sort, cursor)
  if (value === null) {
    params.push(id)
    return sort.descending ? `(${expr} IS NULL AND id < ?)` : `((${expr} IS NULL AND id > ?) OR ${expr} IS NOT NULL)`
  }
  params.push(bind(value), id)
  return sort.descending ? `((${expr}, id) < (?, ?) OR ${expr} IS NULL)` : `(${expr}, id) > (?, ?)`
}

/** Selects one row more than the limit: its presence says there is a next page. */
export function findSql(table: string, sort: Sort, options: FindOptions): { sql: string; params: Bound[] } {
  const params: Bound[] = []
  const sortExpr = fieldExpr(sort.field)
  const filters = Object.entries(options.where ?? {}).map(([field, condition]) => conditionSql(fieldExpr(field), condition, params))
  if (options.cursor !== undefined) filters.push(afterCursorSql(sortExpr, sort, options.cursor, params))
  const direction = sort.descending ? 'DESC' : 'ASC'
  const order = sort.field === 'id' ? `id ${direction}` : `${sortExpr} ${direction}, id ${direction}`
  const where = filters.length > 0 ? `WHERE ${filters.join(' AND ')}` : ''
  params.push(options.limit + 1)
  return { sql: `SELECT doc FROM ${table} ${where} ORDER BY ${order} LIMIT ?`, params }
}
