/**
 * What a projection is: the collections it owns (with the fields the query API filters and sorts on), the
 * event types it handles, and a function of (event, store) that reads the store and writes it with apply and remove.
 */
import type { DomainEvent } from '../domain/decider.ts'
import type { CollectionEvent } from '../domain/collection/events.ts'
import type { ProductEvent } from '../domain/product/events.ts'
import type { UserEvent } from '../domain/user/events.ts'
import type { RecordedEvent } from '../eventlog/port.ts'
import type { ProjectionStore } from '../readmodels/unitOfWork.ts'

export type ProjectedEvent = ProductEvent | UserEvent | CollectionEvent

/** A recorded event whose data has the shape its type promises. */
export type Recorded<E extends DomainEvent> = Omit<RecordedEvent, 'type' | 'data'> & Pick<E, 'type' | 'data'>

export interface CollectionSpec {
  name: string
  indexes: readonly (readonly string[])[]
}

export interface Projection {
  name: string
  /** In the order they are written, should a batch be written halfway (see readmodels/unitOfWork.ts). */
  collections: readonly CollectionSpec[]
  handles: ReadonlySet<string>
  project(event: RecordedEvent, store: ProjectionStore): Promise<void>
  /** For a projection with effects outside the read models (the bus): completes those of the events projected so
   *  far. The runner calls it before it commits the checkpoints that cover them (it may complete later events'
   *  too), and never while an earlier call is under way. */
  flush?(): Promise<void>
  /** Forgets the effects of events projected but not flushed: the runner applies those events again. */
  discard?(): void
}

type Handlers = {
  [Type in ProjectedEvent['type']]?: (event: Recorded<Extract<ProjectedEvent, { type: Type }>>, store: ProjectionStore) => Promise<void>
}

export function defineProjection(spec: { name: string; collections: readonly CollectionSpec[]; on: Handlers }): Projection {
  const handlers = spec.on as Record<string, (event: RecordedEvent, store: ProjectionStore) => Promise<void>>
  return {
    name: spec.name,
    collections: spec.collections,
    handles: new Set(Object.keys(handlers)),
    // Not an async wrapper: a rebuild calls this a million times, and the handler's own promise will do.
    project: (event, store) => handlers[event.type]?.(event, store) ?? Promise.resolve(),
  }
}
