/** Every document of every projected collection, read page by page through the port, for comparing stores. */
import { projections } from '../../projectors/index.ts'
import type { ReadModelDoc, ReadModelStore } from '../../readmodels/port.ts'

/** The port's largest page. */
const PAGE = 100

export const collectionNames = projections.flatMap(projection => projection.collections.map(({ name }) => name))

export async function dump(store: ReadModelStore): Promise<Record<string, ReadModelDoc[]>> {
  const all: Record<string, ReadModelDoc[]> = {}
  for (const name of collectionNames) {
    const docs: ReadModelDoc[] = []
    let cursor: string | undefined
    do {
      const page = await store.find(name, { limit: PAGE, ...(cursor && { cursor }) })
      docs.push(...page.items)
      cursor = page.nextCursor ?? undefined
    } while (cursor)
    all[name] = docs
  }
  return all
}
