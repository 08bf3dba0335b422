import type { Decider } from '../decider.ts'
import type { CollectionCommand } from './commands.ts'
import { decide } from './decide.ts'
import type { CollectionEvent } from './events.ts'
import { evolve, initialState, type CollectionState } from './state.ts'

export const collectionDecider: Decider<CollectionCommand, CollectionEvent, CollectionState> = { decide, evolve, initialState }

export type { CollectionCommand } from './commands.ts'
export type { CollectionEvent } from './events.ts'
export type { CollectionState } from './state.ts'
