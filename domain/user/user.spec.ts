import t from 'tap'
import { Conflict, Forbidden, NotFound, RuleViolated } from '../errors.ts'
import { spec } from '../testing/spec.ts'
import type { RegisterUser, UserCommand } from './commands.ts'
import type { UserErased, UserRegistered, UserRolesChanged } from './events.ts'
import { userDecider } from './index.ts'

const { given } = spec(userDecider)
const NOW = '2024-06-01T12:00:00.000Z'
const USER = 'user-1'
const ADMIN = 'admin-1'

type CommandOf<Type extends UserCommand['type']> = Extract<UserCommand, { type: Type }>
const command = <Type extends UserCommand['type']>(type: Type, data: CommandOf<Type>['data'], actorId: string, roles = ['consumer']) =>
  ({ type, data, metadata: { actorId, roles, now: NOW } }) as unknown as CommandOf<Type>

const registration: RegisterUser['data'] = {
  userId: USER,
  email: 'sealed:email',
  emailHash: 'hash:email',
  displayName: 'sealed:name',
  passwordHash: '$argon2id$...',
  accountType: 'consumer',
  roles: ['consumer'],
}
const registered = (data: Partial<UserRegistered['data']> = {}): UserRegistered => ({
  type: 'UserRegistered',
  data: { ...registration, registeredAt: NOW, ...data },
})
const rolesChanged = (roles: UserRolesChanged['data']['roles']): UserRolesChanged => ({
  type: 'UserRolesChanged',
  data: { userId: USER, roles, changedBy: ADMIN, changedAt: NOW },
})
const erased = (erasedBy: string): UserErased => ({ type: 'UserErased', data: { userId: USER, erasedBy, erasedAt: NOW } })

t.test('RegisterUser', async t => {
  const register = (data: Partial<RegisterUser['data']> = {}) => command('RegisterUser', { ...registration, ...data }, USER, [])

  t.test('registers a consumer', async () => {
    given([]).when(register()).then([registered()])
  })
  t.test('registers a brand with its name', async () => {
    const brand = { accountType: 'brand' as const, brandName: 'Atelier', roles: ['brand' as const] }
    given([]).when(register(brand)).then([registered(brand)])
  })
  t.test('refuses a brand account without a brand name', async () => {
    given([]).when(register({ accountType: 'brand', roles: ['brand'] })).thenThrows(RuleViolated, 'brand name')
  })
  t.test('refuses a user without roles', async () => {
    given([]).when(register({ roles: [] })).thenThrows(RuleViolated, 'at least one role')
  })
  t.test('refuses a user that already exists', async () => {
    given([registered()]).when(register()).thenThrows(Conflict, 'already registered')
  })
})

t.test('ChangeRoles', async t => {
  const change = (roles: UserRolesChanged['data']['roles'], actorId = ADMIN, actorRoles = ['admin']) =>
    command('ChangeRoles', { userId: USER, roles }, actorId, actorRoles)

  t.test('an admin changes roles', async () => {
    given([registered()]).when(change(['consumer', 'moderator'])).then([rolesChanged(['consumer', 'moderator'])])
  })
  t.test('the same roles again change nothing', async () => {
    given([registered(), rolesChanged(['moderator', 'consumer'])]).when(change(['consumer', 'moderator'])).thenNothingHappened()
  })
  t.test('refuses anyone but an admin, the user included', async () => {
    given([registered()]).when(change(['admin'], USER, ['consumer'])).thenThrows(Forbidden, 'only an admin')
    given([registered()]).when(change(['admin'], 'mod-1', ['moderator'])).thenThrows(Forbidden, 'only an admin')
  })
  t.test('refuses an unknown or erased user', async () => {
    given([]).when(change(['consumer'])).thenThrows(NotFound, 'user not found')
    given([registered(), erased(USER)]).when(change(['consumer'])).thenThrows(NotFound, 'user not found')
  })
  t.test('refuses an empty set of roles', async () => {
    given([registered()]).when(change([])).thenThrows(RuleViolated, 'at least one role')
  })
})

t.test('EraseUser', async t => {
  const erase = (actorId: string, roles = ['consumer']) => command('EraseUser', { userId: USER }, actorId, roles)

  t.test('a user erases themself', async () => {
    given([registered()]).when(erase(USER)).then([erased(USER)])
  })
  t.test('an admin erases a user', async () => {
    given([registered()]).when(erase(ADMIN, ['admin'])).then([erased(ADMIN)])
  })
  t.test('refuses anyone else', async () => {
    given([registered()]).when(erase('user-2')).thenThrows(Forbidden, 'admin or the user themself')
  })
  t.test('refuses an unknown user', async () => {
    given([]).when(erase(ADMIN, ['admin'])).thenThrows(NotFound, 'user not found')
  })
  t.test('erasing twice changes nothing', async () => {
    given([registered(), erased(USER)]).when(erase(ADMIN, ['admin'])).thenNothingHappened()
  })
})
