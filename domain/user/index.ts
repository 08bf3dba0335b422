import type { Decider } from '../decider.ts'
import type { UserCommand } from './commands.ts'
import { decide } from './decide.ts'
import type { UserEvent } from './events.ts'
import { evolve, initialState, type UserState } from './state.ts'

export const userDecider: Decider<UserCommand, UserEvent, UserState> = { decide, evolve, initialState }

export type { UserCommand } from './commands.ts'
export type { UserEvent } from './events.ts'
export type { Account, UserState } from './state.ts'
