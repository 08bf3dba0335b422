import type { Decider } from '../decider.ts'
import type { ProductCommand } from './commands.ts'
import { decide } from './decide.ts'
import type { ProductEvent } from './events.ts'
import { evolve, initialState, type ProductState } from './state.ts'

export const productDecider: Decider<ProductCommand, ProductEvent, ProductState> = { decide, evolve, initialState }

export type { ProductCommand } from './commands.ts'
export type { ProductEvent } from './events.ts'
export type { ProductState } from './state.ts'
