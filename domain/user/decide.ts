import { Conflict, Forbidden, NotFound, RuleViolated } from '../errors.ts'
import type { ChangeRoles, EraseUser, RegisterUser, UserCommand } from './commands.ts'
import type { UserErased, UserEvent, UserRegistered, UserRolesChanged } from './events.ts'
import type { Account, UserState } from './state.ts'

const isAdmin = (roles: readonly string[]): boolean => roles.includes('admin')

const activeAccount = (state: UserState): Account => {
  if (!state.account) throw new NotFound('user not found')
  return state.account
}

const sameRoles = (left: readonly string[], right: readonly string[]): boolean =>
  new Set(left).size === new Set(right).size && left.every(role => right.includes(role))

export const registerUser = ({ data, metadata }: RegisterUser, state: UserState): [UserRegistered] => {
  if (state.account || state.erased) throw new Conflict('user already registered')
  if (data.accountType === 'brand' && !data.brandName) throw new RuleViolated('a brand account needs a brand name')
  if (data.roles.length === 0) throw new RuleViolated('a user needs at least one role')
  return [{ type: 'UserRegistered', data: { ...data, registeredAt: metadata.now } }]
}

export const changeRoles = ({ data, metadata }: ChangeRoles, state: UserState): UserRolesChanged[] => {
  if (!isAdmin(metadata.roles)) throw new Forbidden('only an admin can change roles')
  const account = activeAccount(state)
  if (data.roles.length === 0) throw new RuleViolated('a user needs at least one role')
  if (sameRoles(data.roles, account.roles)) return []
  const { userId, roles } = data
  return [{ type: 'UserRolesChanged', data: { userId, roles, changedBy: metadata.actorId, changedAt: metadata.now } }]
}

export const eraseUser = ({ data, metadata }: EraseUser, state: UserState): UserErased[] => {
  if (!isAdmin(metadata.roles) && metadata.actorId !== data.userId)
    throw new Forbidden('only an admin or the user themself can erase an account')
  if (state.erased) return []
  activeAccount(state)
  return [{ type: 'UserErased', data: { userId: data.userId, erasedBy: metadata.actorId, erasedAt: metadata.now } }]
}

export const decide = (command: UserCommand, state: UserState): UserEvent[] => {
  switch (command.type) {
    case 'RegisterUser':
      return registerUser(command, state)
    case 'ChangeRoles':
      return changeRoles(command, state)
    case 'EraseUser':
      return eraseUser(command, state)
    default: {
      const unknown: never = command
      throw new Error(`unknown user command ${(unknown as UserCommand).type}`)
    }
  }
}
