/** The refusals read routes give, as problems the error handler renders. */
import { HttpProblem } from '../http/problem.ts'

export const notFound = (detail: string) => new HttpProblem(404, 'Not Found', detail)

export const forbidden = (detail: string) => new HttpProblem(403, 'Forbidden', detail)

/** The document, or a 404 saying which one is unknown. */
export async function found<T>(lookup: Promise<T | null>, what: string): Promise<T> {
  const value = await lookup
  if (value === null) throw notFound(`unknown ${what}`)
  return value
}
