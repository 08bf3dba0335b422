import t from 'tap'
import { Conflict, Forbidden, NotFound, RuleViolated } from '../errors.ts'
import { spec } from '../testing/spec.ts'
import type { RegisterUser, UserCommand } from './commands.ts'
import type { BrandEvent, UserErased, UserRegistered, UserRolesChanged } from './events.ts'
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
    const brand = { accountType: 'brand' as const, brandName: 'Atelier' }
    given([]).when(register(brand)).then([registered(brand)])
  })
  t.test('refuses a brand account without a brand name', async () => {
    given([]).when(register({ accountType: 'brand' })).thenThrows(RuleViolated, 'brand name')
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

t.test('DecideBrandVerification', async t => {
  const applied = registered({ accountType: 'brand', brandName: 'Acme Apparel' })
  const decision = (data: { decision: 'approve' | 'reject'; gs1CompanyPrefixes?: string[]; reason?: string }, actorId = ADMIN, roles = ['admin']) =>
    command('DecideBrandVerification', { userId: USER, ...data }, actorId, roles)
  const approve = (gs1CompanyPrefixes?: string[]) => decision({ decision: 'approve', ...(gs1CompanyPrefixes && { gs1CompanyPrefixes }) })
  const verified = (gs1CompanyPrefixes: string[] = ['4006381']): BrandEvent => ({
    type: 'BrandVerified',
    data: { userId: USER, brandName: 'Acme Apparel', gs1CompanyPrefixes, verifiedBy: ADMIN, verifiedAt: NOW },
  })
  const revoked: BrandEvent = { type: 'BrandVerificationRevoked', data: { userId: USER, reason: 'counterfeits', revokedBy: ADMIN, revokedAt: NOW } }

  t.test('approval verifies the brand with its prefixes and grants the role brand at once', async () => {
    given([applied]).when(approve(['4006381', '4006381'])).then([verified(), rolesChanged(['consumer', 'brand'])])
  })
  t.test('a brand may be verified without prefixes', async () => {
    given([applied]).when(approve()).then([verified([]), rolesChanged(['consumer', 'brand'])])
  })
  t.test('approving a verified brand grants the prefixes it lacks, and nothing when it lacks none', async () => {
    const grant: BrandEvent = { type: 'Gs1CompanyPrefixesGranted', data: { userId: USER, gs1CompanyPrefixes: ['5901234'], grantedBy: ADMIN, grantedAt: NOW } }
    const verifiedBrand = [applied, verified(), rolesChanged(['consumer', 'brand'])]
    given(verifiedBrand).when(approve(['4006381', '5901234'])).then([grant])
    given([...verifiedBrand, grant]).when(approve(['5901234'])).thenNothingHappened()
  })
  t.test('rejection turns an application down', async () => {
    given([applied]).when(decision({ decision: 'reject', reason: 'unknown company' })).then([
      { type: 'BrandRejected', data: { userId: USER, reason: 'unknown company', rejectedBy: ADMIN, rejectedAt: NOW } },
    ])
  })
  t.test('rejecting a verified brand revokes its verification and its role', async () => {
    given([applied, verified(), rolesChanged(['consumer', 'brand'])])
      .when(decision({ decision: 'reject', reason: 'counterfeits' }))
      .then([revoked, rolesChanged(['consumer'])])
  })
  t.test('a rejected brand rejected again changes nothing; approved, it is verified again', async () => {
    const history = [applied, verified(), rolesChanged(['consumer', 'brand']), revoked, rolesChanged(['consumer'])]
    given(history).when(decision({ decision: 'reject' })).thenNothingHappened()
    given(history).when(approve(['4006381'])).then([verified(), rolesChanged(['consumer', 'brand'])])
  })
  t.test('refuses a prefix that is not 6 to 12 digits', async () => {
    given([applied]).when(approve(['12345'])).thenThrows(RuleViolated, '6 to 12 digits')
    given([applied]).when(approve(['1234567890123'])).thenThrows(RuleViolated, '6 to 12 digits')
  })
  t.test('refuses anyone but an admin', async () => {
    given([applied]).when(decision({ decision: 'approve' }, USER, ['consumer'])).thenThrows(Forbidden, 'only an admin')
  })
  t.test('refuses an account that did not apply as a brand, and an unknown one', async () => {
    given([registered()]).when(approve()).thenThrows(NotFound, 'did not apply as a brand')
    given([]).when(approve()).thenThrows(NotFound, 'user not found')
  })
})
