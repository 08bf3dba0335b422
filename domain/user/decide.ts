import { Conflict, Forbidden, NotFound, RuleViolated } from '../errors.ts'
import { defined } from '../defined.ts'
import type { ChangeRoles, DecideBrandVerification, EraseUser, RegisterUser, UserCommand } from './commands.ts'
import type { BrandEvent, Role, UserErased, UserEvent, UserRegistered, UserRolesChanged } from './events.ts'
import { isGs1CompanyPrefix } from '../gs1CompanyPrefix.ts'
import type { Account, UserState } from './state.ts'

const isAdmin = (roles: readonly string[]): boolean => roles.includes('admin')

const activeAccount = (state: UserState): Account => {
  if (!state.account) throw new NotFound('user not found')
  return state.account
}

const sameRoles = (left: readonly string[], right: readonly string[]): boolean =>
  new Set(left).size === new Set(right).size && left.every(role => right.includes(role))

const rolesChanged = (account: Account, roles: Role[], { actorId, now }: { actorId: string; now: string }): UserRolesChanged[] =>
  sameRoles(roles, account.roles) ? [] : [{ type: 'UserRolesChanged', data: { userId: account.userId, roles, changedBy: actorId, changedAt: now } }]

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
  return rolesChanged(account, data.roles, metadata)
}

export const eraseUser = ({ data, metadata }: EraseUser, state: UserState): UserErased[] => {
  if (!isAdmin(metadata.roles) && metadata.actorId !== data.userId)
    throw new Forbidden('only an admin or the user themself can erase an account')
  if (state.erased) return []
  activeAccount(state)
  return [{ type: 'UserErased', data: { userId: data.userId, erasedBy: metadata.actorId, erasedAt: metadata.now } }]
}

/**
 * An admin approves a brand (it gets the role `brand` at once, and its prefixes), grants a verified brand more
 * prefixes, rejects an application, or revokes a verification (a reject on a verified brand: the role goes).
 */
export const decideBrandVerification = ({ data, metadata }: DecideBrandVerification, state: UserState): (BrandEvent | UserRolesChanged)[] => {
  if (!isAdmin(metadata.roles)) throw new Forbidden('only an admin can verify brands')
  const account = activeAccount(state)
  const { brand } = state
  if (!brand) throw new NotFound('this account did not apply as a brand')
  const { userId, reason } = data
  const { actorId, now } = metadata

  if (data.decision === 'reject') {
    if (brand.status === 'rejected') return []
    if (brand.status === 'pending') return [{ type: 'BrandRejected', data: defined({ userId, reason, rejectedBy: actorId, rejectedAt: now }) }]
    const remaining = account.roles.filter(role => role !== 'brand')
    return [
      { type: 'BrandVerificationRevoked', data: defined({ userId, reason, revokedBy: actorId, revokedAt: now }) },
      ...rolesChanged(account, remaining.length > 0 ? remaining : ['consumer'], metadata),
    ]
  }

  const prefixes = [...new Set(data.gs1CompanyPrefixes ?? [])]
  const invalid = prefixes.find(prefix => !isGs1CompanyPrefix(prefix))
  if (invalid !== undefined) throw new RuleViolated(`${invalid} is not a GS1 Company Prefix (6 to 12 digits)`)
  if (brand.status === 'verified') {
    const granted = prefixes.filter(prefix => !brand.gs1CompanyPrefixes.includes(prefix))
    return granted.length === 0 ? [] : [{ type: 'Gs1CompanyPrefixesGranted', data: { userId, gs1CompanyPrefixes: granted, grantedBy: actorId, grantedAt: now } }]
  }
  return [
    { type: 'BrandVerified', data: { userId, brandName: brand.brandName, gs1CompanyPrefixes: prefixes, verifiedBy: actorId, verifiedAt: now } },
    ...rolesChanged(account, account.roles.includes('brand') ? account.roles : [...account.roles, 'brand'], metadata),
  ]
}

export const decide = (command: UserCommand, state: UserState): UserEvent[] => {
  switch (command.type) {
    case 'RegisterUser':
      return registerUser(command, state)
    case 'ChangeRoles':
      return changeRoles(command, state)
    case 'EraseUser':
      return eraseUser(command, state)
    case 'DecideBrandVerification':
      return decideBrandVerification(command, state)
    default: {
      const unknown: never = command
      throw new Error(`unknown user command ${(unknown as UserCommand).type}`)
    }
  }
}
