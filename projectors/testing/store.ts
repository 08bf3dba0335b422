/** A fresh embedded store, events projected straight into it, and the whole of it as plain data. */
import type { RecordedEvent } from '../../eventlog/port.ts'
import type { ReadModelDoc, ReadModelStore } from '../../readmodels/port.ts'
import { findAll } from '../../readmodels/findAll.ts'
import { SqliteReadModelStore } from '../../readmodels/sqlite.ts'
import { UnitOfWork } from '../../readmodels/unitOfWork.ts'
import { projections } from '../index.ts'

/** Applies events the way the runner does, without checkpoints: every position guard is on its own. */
export async function projectAll(store: ReadModelStore, events: readonly RecordedEvent[]): Promise<void> {
  const work = new UnitOfWork(store)
  for (const event of events) for (const projection of projections) if (projection.handles.has(event.type)) await projection.project(event, work)
  await work.commit(new Map())
}

export async function projected(events: readonly RecordedEvent[]): Promise<ReadModelStore> {
  const store = new SqliteReadModelStore(':memory:')
  await projectAll(store, events)
  return store
}

/** Every document of every projection's collections, by collection, in id order. */
export async function dump(store: ReadModelStore): Promise<Record<string, ReadModelDoc[]>> {
  const all: Record<string, ReadModelDoc[]> = {}
  for (const { name } of projections.flatMap(projection => projection.collections)) all[name] = await findAll(store, name)
  return all
}
