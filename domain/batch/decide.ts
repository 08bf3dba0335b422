/**
 * A batch of products issued as one job: submitted whole, then progress recorded item by item (each once, so a
 * resumed or doubled run records nothing twice), finished once every item is issued or refused. A batch in which
 * no item could be issued ends `failed`, otherwise `completed`.
 */
import type { Decider, DomainCommand } from '../decider.ts'
import type { BatchEvent, BatchItem, FailedItem, IssuedItem } from './events.ts'

export type SubmitBatch = DomainCommand<'SubmitBatch', { batchId: string; brandId: string; items: (BatchItem | null)[]; refused: FailedItem[] }>
export type RecordBatchProgress = DomainCommand<'RecordBatchProgress', { batchId: string; issued: IssuedItem[]; failed: FailedItem[] }>
export type BatchCommand = SubmitBatch | RecordBatchProgress

export type BatchStatus = 'running' | 'completed' | 'failed'

export interface BatchState {
  exists: boolean
  brandId: string
  items: (BatchItem | null)[]
  issued: Map<number, IssuedItem>
  failed: Map<number, FailedItem>
  status: BatchStatus
}

export const initialState = (): BatchState => ({ exists: false, brandId: '', items: [], issued: new Map(), failed: new Map(), status: 'running' })

export const evolve = (state: BatchState, event: BatchEvent): BatchState => {
  switch (event.type) {
    case 'BatchSubmitted':
      return { ...state, exists: true, brandId: event.data.brandId, items: event.data.items }
    case 'BatchProgressed': {
      const issued = new Map(state.issued)
      const failed = new Map(state.failed)
      for (const item of event.data.issued) issued.set(item.index, item)
      for (const item of event.data.failed) failed.set(item.index, item)
      return { ...state, issued, failed }
    }
    case 'BatchFinished':
      return { ...state, status: event.data.status }
  }
}

/** Whether every item is issued or refused. */
export const isSettled = (state: BatchState): boolean => state.issued.size + state.failed.size === state.items.length

/** The items still to issue, by index. */
export const pendingIndexes = (state: BatchState): number[] =>
  state.items.flatMap((_item, index) => (state.issued.has(index) || state.failed.has(index) ? [] : [index]))

const recorded = (state: BatchState, index: number) => state.issued.has(index) || state.failed.has(index)

function finishing(state: BatchState, batchId: string, now: string): BatchEvent[] {
  if (!isSettled(state) || state.status !== 'running') return []
  return [{ type: 'BatchFinished', data: { batchId, status: state.issued.size === 0 ? 'failed' : 'completed', finishedAt: now } }]
}

export const decide = (command: BatchCommand, state: BatchState): BatchEvent[] => {
  const { batchId } = command.data
  const { now } = command.metadata
  if (command.type === 'SubmitBatch') {
    if (state.exists) return []
    const { brandId, items, refused } = command.data
    const submitted: BatchEvent[] = [{ type: 'BatchSubmitted', data: { batchId, brandId, items, submittedAt: now } }]
    if (refused.length > 0) submitted.push({ type: 'BatchProgressed', data: { batchId, issued: [], failed: refused } })
    const after = submitted.reduce(evolve, state)
    return [...submitted, ...finishing(after, batchId, now)]
  }
  const issued = command.data.issued.filter(item => !recorded(state, item.index))
  const failed = command.data.failed.filter(item => !recorded(state, item.index) && !issued.some(other => other.index === item.index))
  const progressed: BatchEvent[] = issued.length + failed.length > 0 ? [{ type: 'BatchProgressed', data: { batchId, issued, failed } }] : []
  return [...progressed, ...finishing(progressed.reduce(evolve, state), batchId, now)]
}

export const batchDecider: Decider<BatchCommand, BatchEvent, BatchState> = { decide, evolve, initialState }
