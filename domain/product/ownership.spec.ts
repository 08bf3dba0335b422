import t from 'tap'
import { Conflict, Forbidden, RuleViolated } from '../errors.ts'
import { spec } from '../testing/spec.ts'
import { ALICE, BOB, BRAND, CAROL, LATER, NOW, PRODUCT, claimCodeIssued, command, listedByAlice, ownedByAlice, reservedByBob, transferred } from './testing/fixtures.ts'
import { productDecider } from './index.ts'

const { given } = spec(productDecider)

t.test('TransferOwnership', async t => {
  const transfer = (actorId: string, toUserId = BOB) => command('TransferOwnership', { toUserId }, actorId)

  t.test('the current owner transfers the product', async () => {
    given(ownedByAlice).when(transfer(ALICE)).then([transferred(ALICE, BOB, NOW)])
  })
  t.test('refuses someone who is not the owner', async () => {
    given(ownedByAlice).when(transfer(CAROL)).thenThrows(Forbidden, 'only the current owner can transfer')
  })
  t.test('refuses a past owner', async () => {
    given(ownedByAlice).when(transfer(BRAND, CAROL)).thenThrows(Forbidden, 'only the current owner')
  })
  t.test('refuses while the product is listed', async () => {
    given(listedByAlice).when(transfer(ALICE)).thenThrows(Conflict, 'listed for resale')
  })
  t.test('refuses while the product is reserved', async () => {
    given(reservedByBob).when(transfer(ALICE)).thenThrows(Conflict, 'reserved for resale')
  })
  t.test('refuses a transfer to oneself', async () => {
    given(ownedByAlice).when(transfer(ALICE, ALICE)).thenThrows(RuleViolated, 'current owner')
  })
})

t.test('IssueClaimCode', async t => {
  const issue = (actorId: string, expiresAt = LATER) => command('IssueClaimCode', { claimCodeHash: 'hash-1', expiresAt }, actorId)

  t.test('the current owner issues a claim code', async () => {
    given(ownedByAlice).when(issue(ALICE)).then([claimCodeIssued('hash-1')])
  })
  t.test('refuses someone who is not the owner', async () => {
    given(ownedByAlice).when(issue(BOB)).thenThrows(Forbidden, 'only the current owner can issue a claim code')
  })
  t.test('refuses while listed or reserved', async () => {
    given(listedByAlice).when(issue(ALICE)).thenThrows(Conflict, 'listed')
    given(reservedByBob).when(issue(ALICE)).thenThrows(Conflict, 'reserved')
  })
  t.test('refuses a code that is already expired', async () => {
    given(ownedByAlice).when(issue(ALICE, NOW)).thenThrows(RuleViolated, 'expire in the future')
  })
  t.test('refuses an unreadable expiry time', async () => {
    given(ownedByAlice).when(issue(ALICE, 'next week')).thenThrows(RuleViolated, 'expiresAt is not a valid time')
  })
})

t.test('ClaimProduct', async t => {
  const claim = (actorId: string, claimCodeHash = 'hash-1', now = NOW) => command('ClaimProduct', { claimCodeHash }, actorId, { now })
  const withCode = [...ownedByAlice, claimCodeIssued('hash-1')]

  t.test('any user claims the product with a pending code', async () => {
    given(withCode).when(claim(BOB)).then([transferred(ALICE, BOB, NOW, 'claim')])
  })
  t.test('refuses an unknown code', async () => {
    given(withCode).when(claim(BOB, 'hash-x')).thenThrows(RuleViolated, 'no such claim code')
  })
  t.test('refuses a code replaced by a newer one', async () => {
    given([...withCode, claimCodeIssued('hash-2')]).when(claim(BOB)).thenThrows(RuleViolated, 'no such claim code')
  })
  t.test('refuses a code that was used', async () => {
    given([...withCode, transferred(ALICE, BOB, NOW, 'claim')]).when(claim(CAROL)).thenThrows(RuleViolated, 'already used')
  })
  t.test('refuses a code at its expiry', async () => {
    given(withCode).when(claim(BOB, 'hash-1', LATER)).thenThrows(RuleViolated, 'claim code expired')
  })
  t.test('refuses a code the owner issued before a direct transfer', async () => {
    given([...withCode, transferred(ALICE, CAROL, NOW)]).when(claim(BOB)).thenThrows(RuleViolated, 'no such claim code')
  })
  t.test('refuses the current owner', async () => {
    given(withCode).when(claim(ALICE)).thenThrows(RuleViolated, 'current owner cannot claim')
  })
  t.test('refuses while the product is listed', async () => {
    given([...withCode, ...listedByAlice.slice(ownedByAlice.length)]).when(claim(BOB)).thenThrows(Conflict, 'listed')
  })
})

t.test('ChangeConsent', async t => {
  const consent = (actorId: string, visibility: 'public' | 'anonymous' | 'hidden' = 'anonymous') =>
    command('ChangeConsent', { visibility }, actorId)
  const changed = (ownerId: string, visibility = 'anonymous' as const) => ({ type: 'ConsentChanged' as const, data: { productId: PRODUCT, ownerId, visibility } })
  const ownedByBob = [...ownedByAlice, transferred(ALICE, BOB, NOW)]

  t.test('the current owner changes their consent', async () => {
    given(ownedByBob).when(consent(BOB)).then([changed(BOB)])
  })
  t.test('a past owner changes their consent', async () => {
    given(ownedByBob).when(consent(ALICE)).then([changed(ALICE)])
  })
  t.test('the brand, as the first owner, changes its consent', async () => {
    given(ownedByBob).when(consent(BRAND)).then([changed(BRAND)])
  })
  t.test('refuses someone who never owned the product', async () => {
    given(ownedByBob).when(consent(CAROL)).thenThrows(Forbidden, 'current or past owner')
  })
  t.test('the same consent again changes nothing', async () => {
    given([...ownedByBob, changed(ALICE)]).when(consent(ALICE)).thenNothingHappened()
  })
  t.test('an owner is public until they say otherwise: asking for public changes nothing', async () => {
    given(ownedByBob).when(consent(BOB, 'public')).thenNothingHappened()
    given([...ownedByBob, changed(ALICE)]).when(consent(ALICE, 'public')).then([{ ...changed(ALICE), data: { ...changed(ALICE).data, visibility: 'public' } }])
  })
  t.test('an owner who bought the product back has one consent for all their periods', async () => {
    given([...ownedByBob, changed(ALICE), transferred(BOB, ALICE, LATER)]).when(consent(ALICE)).thenNothingHappened()
  })
})
