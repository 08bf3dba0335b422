/** How projections write documents; every write is guarded by the event's position. */
import type { RecordedEvent } from '../eventlog/port.ts'
import type { ReadModelDoc } from '../readmodels/port.ts'
import type { ProjectionStore } from '../readmodels/unitOfWork.ts'

type Event = Pick<RecordedEvent, 'position' | 'metadata'>
type Change<T> = Partial<Omit<T, 'id' | 'position'>>

/** Writes the document an event creates. */
export const create = <T extends ReadModelDoc>(store: ProjectionStore, collection: string, event: Event, doc: Omit<T, 'position'>) =>
  store.create<T>(collection, event.position, doc)

/** Changes a document an earlier event created; an event about a document that does not exist changes nothing. */
export const patch = <T extends ReadModelDoc>(store: ProjectionStore, collection: string, id: string, event: Event, change: (doc: T) => Change<T>) =>
  store.patch<T>(collection, id, event.position, change)

/** patch, stamping the document's updatedAt with the time of the event on the new object `change` returns. */
export const update = <T extends ReadModelDoc & { updatedAt: string }>(
  store: ProjectionStore,
  collection: string,
  id: string,
  event: Event,
  change: (doc: T) => Change<T>,
) =>
  patch<T>(store, collection, id, event, doc => {
    const fields: Change<ReadModelDoc & { updatedAt: string }> = change(doc)
    fields.updatedAt = event.metadata.occurredAt
    return fields as Change<T>
  })
