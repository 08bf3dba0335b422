/**
 * The read-model store as a rebuild sees it: the collections being rebuilt, and every checkpoint, are their
 * shadows (`{name}__rebuild`), built beside the live ones that the API keeps serving. Other collections read
 * through to the live ones (a projection may read an earlier one's documents), and are never written.
 */
import type { ReadModelDoc, ReadModelStore } from '../../readmodels/port.ts'

export const shadowOf = (name: string): string => `${name}__rebuild`

export function shadowStore(store: ReadModelStore, rebuilt: ReadonlySet<string>): ReadModelStore {
  const read = (collection: string) => (rebuilt.has(collection) ? shadowOf(collection) : collection)
  const write = (collection: string) => {
    if (!rebuilt.has(collection)) throw new Error(`a rebuild of other collections may not write to ${collection}`)
    return shadowOf(collection)
  }
  return {
    ensureIndexes: (collection, indexes) => store.ensureIndexes(write(collection), indexes),
    get: <T extends ReadModelDoc>(collection: string, id: string) => store.get<T>(read(collection), id),
    find: (collection, options) => store.find(read(collection), options),
    write: ({ documents, checkpoints }) =>
      store.write({
        documents: documents.map(document => ({ ...document, collection: write(document.collection) })),
        checkpoints: new Map([...checkpoints].map(([projection, position]) => [shadowOf(projection), position])),
      }),
    getCheckpoint: projection => store.getCheckpoint(shadowOf(projection)),
    setCheckpoint: (projection, position) => store.setCheckpoint(shadowOf(projection), position),
    drop: collection => store.drop(write(collection)),
    close: () => store.close(),
  }
}
