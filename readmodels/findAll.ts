/** Every document a query finds, read page by page: for short lists a caller needs whole (an owner timeline). */
import type { FindOptions, ReadModelDoc } from './port.ts'

/** The port's largest page. */
const PAGE = 100

type Finder = { find<T extends ReadModelDoc>(collection: string, options: FindOptions): Promise<{ items: T[]; nextCursor: string | null }> }

export async function findAll<T extends ReadModelDoc>(store: Finder, collection: string, options: Omit<FindOptions, 'limit' | 'cursor'> = {}): Promise<T[]> {
  const found: T[] = []
  let cursor: string | null = null
  do {
    const page: { items: T[]; nextCursor: string | null } = await store.find<T>(collection, { ...options, limit: PAGE, ...(cursor && { cursor }) })
    found.push(...page.items)
    cursor = page.nextCursor
  } while (cursor)
  return found
}
