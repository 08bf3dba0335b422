import type { DomainCommand } from '../decider.ts'
import type { Role, UserRegistered } from './events.ts'

/** email and passwordHash arrive already protected by the API (encrypted email, hashed password, keyed emailHash). */
export type RegisterUser = DomainCommand<'RegisterUser', Omit<UserRegistered['data'], 'registeredAt'>>

export type ChangeRoles = DomainCommand<'ChangeRoles', { userId: string; roles: Role[] }>

export type EraseUser = DomainCommand<'EraseUser', { userId: string }>

export type UserCommand = RegisterUser | ChangeRoles | EraseUser
