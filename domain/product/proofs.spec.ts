import t from 'tap'
import { fold } from '../decider.ts'
import { Conflict, Forbidden, NotFound, RuleViolated } from '../errors.ts'
import { spec } from '../testing/spec.ts'
import { ALICE, BOB, LATER, NOW, PRODUCT, SOON, command, ownedByAlice, transferred } from './testing/fixtures.ts'
import { productDecider, type ProductEvent } from './index.ts'
import { proofStanding } from './rules/proofs.ts'
import type { OwnershipProofIssued, OwnershipProofRevoked } from './protectionEvents.ts'

const { given } = spec(productDecider)

const issued = (ownerId = ALICE, proofHash = 'proof-1', expiresAt = LATER): OwnershipProofIssued => ({
  type: 'OwnershipProofIssued',
  data: { productId: PRODUCT, proofHash, ownerId, issuedAt: NOW, expiresAt },
})
const revoked = (revokedBy = ALICE): OwnershipProofRevoked => ({
  type: 'OwnershipProofRevoked',
  data: { productId: PRODUCT, proofHash: 'proof-1', revokedBy, revokedAt: NOW },
})
const issue = (actorId: string, expiresAt = LATER) => command('IssueOwnershipProof', { proofHash: 'proof-1', expiresAt }, actorId)
const revoke = (actorId: string) => command('RevokeOwnershipProof', { proofHash: 'proof-1' }, actorId)

t.test('IssueOwnershipProof', async t => {
  t.test('the current owner mints a proof', async () => {
    given(ownedByAlice).when(issue(ALICE)).then([issued()])
  })
  t.test('refuses anyone else, a past owner included', async () => {
    given(ownedByAlice).when(issue(BOB)).thenThrows(Forbidden, 'only the current owner can prove ownership')
    given([...ownedByAlice, transferred(ALICE, BOB, NOW)]).when(issue(ALICE)).thenThrows(Forbidden, 'only the current owner')
  })
  t.test('refuses a proof that expires at once, or a token already used', async () => {
    given(ownedByAlice).when(issue(ALICE, NOW)).thenThrows(RuleViolated, 'expire in the future')
    given([...ownedByAlice, issued()]).when(issue(ALICE)).thenThrows(Conflict, 'proof already exists')
  })
  t.test('refuses an unknown product', async () => {
    given([]).when(issue(ALICE)).thenThrows(NotFound)
  })
})

t.test('RevokeOwnershipProof', async t => {
  t.test('the owner who minted it revokes it; twice changes nothing', async () => {
    given([...ownedByAlice, issued()]).when(revoke(ALICE)).then([revoked()])
    given([...ownedByAlice, issued(), revoked()]).when(revoke(ALICE)).thenNothingHappened()
  })
  t.test('refuses anyone else, and an unknown proof', async () => {
    given([...ownedByAlice, issued()]).when(revoke(BOB)).thenThrows(Forbidden, 'only the owner who issued a proof')
    given(ownedByAlice).when(revoke(ALICE)).thenThrows(NotFound, 'unknown proof')
  })
})

t.test('proofStanding: a proof holds while unexpired, unrevoked, and the same owner owns the product', async t => {
  const standing = (events: ProductEvent[], now = SOON, hash = 'proof-1') => proofStanding(fold(productDecider, events), hash, now)
  t.match(standing([...ownedByAlice, issued()]), { holds: true, proof: { ownerId: ALICE, issuedAt: NOW, expiresAt: LATER } })
  t.same(standing([...ownedByAlice, issued()], LATER), { holds: false, why: 'expired' })
  t.same(standing([...ownedByAlice, issued(), revoked()]), { holds: false, why: 'revoked' })
  t.same(standing([...ownedByAlice, issued(), transferred(ALICE, BOB, SOON)]), { holds: false, why: 'owner_changed' })
  t.same(
    standing([...ownedByAlice, issued(), transferred(ALICE, BOB, SOON), transferred(BOB, ALICE, SOON)]),
    { holds: false, why: 'owner_changed' },
    'not even when the product comes back to the same owner',
  )
  t.same(standing([...ownedByAlice, issued()], SOON, 'other'), { holds: false, why: 'unknown' })
  t.same(standing([]), { holds: false, why: 'unknown' })
})
