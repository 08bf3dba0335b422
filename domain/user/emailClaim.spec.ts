import t from 'tap'
import type { ClaimCommand } from '../claim/decide.ts'
import { CLAIM_HOLD_MINUTES } from '../claim/decide.ts'
import { Conflict } from '../errors.ts'
import { spec } from '../testing/spec.ts'
import { emailDecider } from './emailClaim.ts'
import type { EmailClaimed, EmailReleased } from './events.ts'

const { given } = spec(emailDecider)
const HASH = 'hash:email'
const T0 = '2024-06-01T12:00:00.000Z'
const minutesLater = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString()
const HOLD_OVER = minutesLater(CLAIM_HOLD_MINUTES)

const email = (userId: string) => ({ kind: 'email' as const, key: HASH, value: HASH, holderId: userId })
const claim = (userId: string, unusedBy: string[] = [], now = T0): ClaimCommand => ({
  type: 'ClaimKey',
  data: { ...email(userId), unused: unusedBy.map(holderId => ({ holderId, value: HASH })) },
  metadata: { actorId: userId, roles: [], now } })
const release = (userId: string, now = T0): ClaimCommand => ({ type: 'ReleaseKey', data: email(userId), metadata: { actorId: userId, roles: [], now } })
const claimed = (userId: string, claimedAt: string | null = T0): EmailClaimed => ({
  type: 'EmailClaimed',
  data: { emailHash: HASH, userId, ...(claimedAt === null ? {} : { claimedAt }) },
})
const released = (userId: string, releasedAt = T0): EmailReleased => ({ type: 'EmailReleased', data: { emailHash: HASH, userId, releasedAt } })

t.test('claiming an email: the claim rule, in the email stream’s own events', async t => {
  t.test('claims a free email', async () => given([]).when(claim('alice')).then([claimed('alice')]))

  t.test('refuses an email whose holder has an account', async () => given([claimed('alice')]).when(claim('bob', [], minutesLater(60))).thenThrows(Conflict, 'already registered'))

  t.test('refuses an email claimed moments ago, while that registration may still complete', async () =>
    given([claimed('alice')]).when(claim('bob', ['alice'], minutesLater(CLAIM_HOLD_MINUTES - 1))).thenThrows(Conflict))

  t.test('takes over a claim whose registration never completed, once the hold is over', async () =>
    given([claimed('alice')]).when(claim('bob', ['alice'], HOLD_OVER)).then([released('alice', HOLD_OVER), claimed('bob', HOLD_OVER)]))

  t.test('takes over a claim recorded without its time whose holder has no account', async () =>
    given([claimed('alice', null)]).when(claim('bob', ['alice'])).then([released('alice'), claimed('bob')]))

  t.test('claims a released email at once', async () => given([claimed('alice'), released('alice')]).when(claim('bob')).then([claimed('bob')]))

  t.test('claiming again as the holder changes nothing', async () => given([claimed('alice')]).when(claim('alice')).thenNothingHappened())
})

t.test('releasing an email', async t => {
  t.test('releases the holder’s claim', async () => given([claimed('alice')]).when(release('alice')).then([released('alice')]))

  t.test('leaves someone else’s claim alone', async () => given([claimed('alice'), released('alice'), claimed('bob')]).when(release('alice')).thenNothingHappened())

  t.test('releasing a free email changes nothing', async () => given([]).when(release('alice')).thenNothingHappened())
})
