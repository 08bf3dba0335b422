import type { DomainCommand } from '../decider.ts'
import type { Role, UserRegistered } from './events.ts'

/** email and passwordHash arrive already protected by the API (encrypted email, hashed password, keyed emailHash). */
export type RegisterUser = DomainCommand<'RegisterUser', Omit<UserRegistered['data'], 'registeredAt'>>

export type ChangeRoles = DomainCommand<'ChangeRoles', { userId: string; roles: Role[] }>

export type EraseUser = DomainCommand<'EraseUser', { userId: string }>

/** `reject` on a verified brand revokes its verification. */
export type DecideBrandVerification = DomainCommand<
  'DecideBrandVerification',
  { userId: string; decision: 'approve' | 'reject'; gs1CompanyPrefixes?: string[]; reason?: string }
>

export type UserCommand = RegisterUser | ChangeRoles | EraseUser | DecideBrandVerification
