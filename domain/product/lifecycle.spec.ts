import t from 'tap'
import { Conflict, Forbidden, NotFound, RuleViolated } from '../errors.ts'
import { spec } from '../testing/spec.ts'
import type { LifecycleType } from './lifecycleEvents.ts'
import { ALICE, ALICE_FROM, BOB, BRAND, LATER, NOW, STORY, claimCodeIssued, command, eur, listed, listedByAlice, ownedByAlice, transferred } from './testing/fixtures.ts'
import { RECORD, RECYCLER, REPAIRED_AT, REPAIRER, RESELLER, accepted, recorded, refused } from './testing/lifecycleFixtures.ts'
import { productDecider } from './index.ts'

const { given } = spec(productDecider)

const write = (actorId: string, roles: string[], type: LifecycleType = 'repair', occurredAt = REPAIRED_AT) =>
  command('RecordLifecycle', { lifecycleId: RECORD, type, description: 'Replaced the zip', occurredAt, mediaIds: [] }, actorId, { roles })
const decideOn = (actorId: string, decision: 'accept' | 'refuse', lifecycleId = RECORD) => command('DecideLifecycle', { lifecycleId, decision }, actorId)

const recycling = recorded('recycling', RECYCLER, 'recycler')
const ended = [...ownedByAlice, recycling, accepted(recycling)]

t.test('RecordLifecycle', async t => {
  t.test('a repairer writes a repair, waiting for the current owner', async () => {
    given(ownedByAlice).when(write(REPAIRER, ['consumer', 'repairer'])).then([recorded()])
  })
  t.test('a reseller and a recycler write records in their role', async () => {
    given(ownedByAlice).when(write(RESELLER, ['reseller'], 'take_back')).then([recorded('take_back', RESELLER, 'reseller')])
    given(ownedByAlice).when(write(RECYCLER, ['recycler'], 'inspection')).then([recorded('inspection', RECYCLER, 'recycler')])
  })
  t.test('the product’s brand writes records in its own name', async () => {
    given(ownedByAlice).when(write(BRAND, ['brand'], 'repair')).then([recorded('repair', BRAND, 'brand')])
  })
  t.test('only a recycler records a recycling', async () => {
    given(ownedByAlice).when(write(RECYCLER, ['recycler'], 'recycling')).then([recycling])
    given(ownedByAlice).when(write(REPAIRER, ['repairer'], 'recycling')).thenThrows(Forbidden, 'only a recycler')
    given(ownedByAlice).when(write(BRAND, ['brand'], 'recycling')).thenThrows(Forbidden, 'only a recycler')
  })
  t.test('refuses anyone who is neither a partner nor the product’s brand', async () => {
    given(ownedByAlice).when(write(ALICE, ['consumer'])).thenThrows(Forbidden, 'only a repairer, reseller, recycler')
    given(ownedByAlice).when(write('brand-2', ['brand'])).thenThrows(Forbidden, 'only a repairer, reseller, recycler')
    given(ownedByAlice).when(write('authority-1', ['authority'])).thenThrows(Forbidden)
  })
  t.test('refuses a record on an ended product', async () => {
    given(ended).when(write(REPAIRER, ['repairer'])).thenThrows(Conflict, "life has ended")
  })
  t.test('refuses a record in the future or before the product was made', async () => {
    given(ownedByAlice).when(write(REPAIRER, ['repairer'], 'repair', LATER)).thenThrows(RuleViolated, 'future')
    given(ownedByAlice).when(write(REPAIRER, ['repairer'], 'repair', '2020-01-01T00:00:00.000Z')).thenThrows(RuleViolated, 'before the product was made')
    given(ownedByAlice).when(write(REPAIRER, ['repairer'], 'repair', 'soon')).thenThrows(RuleViolated, 'not a valid time')
  })
  t.test('refuses a record id used before, and an unknown product', async () => {
    given([...ownedByAlice, recorded()]).when(write(REPAIRER, ['repairer'])).thenThrows(Conflict, 'already exists')
    given([]).when(write(REPAIRER, ['repairer'])).thenThrows(NotFound)
  })
})

t.test('DecideLifecycle', async t => {
  const pending = [...ownedByAlice, recorded()]

  t.test('the current owner accepts a record', async () => {
    given(pending).when(decideOn(ALICE, 'accept')).then([accepted(recorded())])
  })
  t.test('the current owner refuses a record', async () => {
    given(pending).when(decideOn(ALICE, 'refuse')).then([refused(recorded())])
  })
  t.test('refuses anyone but the current owner, the partner and past owners included', async () => {
    given(pending).when(decideOn(REPAIRER, 'accept')).thenThrows(Forbidden, 'only the current owner')
    given(pending).when(decideOn(BRAND, 'accept')).thenThrows(Forbidden, 'only the current owner')
  })
  t.test('the owner at the time of the decision decides, even when the record asked an earlier one', async () => {
    given([...pending, transferred(ALICE, BOB, NOW)]).when(decideOn(BOB, 'accept')).then([accepted(recorded(), BOB)])
  })
  t.test('a record is decided once', async () => {
    given([...pending, accepted(recorded())]).when(decideOn(ALICE, 'refuse')).thenThrows(Conflict, 'already accepted')
    given([...pending, refused(recorded())]).when(decideOn(ALICE, 'accept')).thenThrows(Conflict, 'already refused')
  })
  t.test('an unknown record is not found', async () => {
    given(pending).when(decideOn(ALICE, 'accept', 'prod-1_nope')).thenThrows(NotFound, 'lifecycle record not found')
  })

  t.test('an accepted take_back makes the partner the owner', async () => {
    const takeBack = recorded('take_back', RESELLER, 'reseller')
    given([...ownedByAlice, takeBack])
      .when(decideOn(ALICE, 'accept'))
      .then([accepted(takeBack), transferred(ALICE, RESELLER, NOW, 'take_back')])
  })
  t.test('a take_back by the owner itself moves nothing', async () => {
    const takeBack = recorded('take_back', BRAND, 'brand', { ownerId: BRAND })
    given([...ownedByAlice.slice(0, 2), takeBack]).when(decideOn(BRAND, 'accept')).then([accepted(takeBack, BRAND)])
  })
  t.test('a refused take_back moves nothing', async () => {
    const takeBack = recorded('take_back', RESELLER, 'reseller')
    given([...ownedByAlice, takeBack]).when(decideOn(ALICE, 'refuse')).then([refused(takeBack)])
  })
  t.test('a take_back or a recycling is not accepted while the product is listed', async () => {
    given([...listedByAlice, recorded('take_back', RESELLER, 'reseller')]).when(decideOn(ALICE, 'accept')).thenThrows(Conflict, 'listed')
    given([...listedByAlice, recycling]).when(decideOn(ALICE, 'accept')).thenThrows(Conflict, 'listed')
  })
  t.test('a pending record can no longer be accepted once the product’s life has ended, but can be refused', async () => {
    const repair = recorded('repair', REPAIRER, 'repairer', { lifecycleId: 'prod-1_lc2' })
    given([...ownedByAlice, repair, recycling, accepted(recycling)]).when(decideOn(ALICE, 'accept', 'prod-1_lc2')).thenThrows(Conflict, 'life has ended')
    given([...ownedByAlice, repair, recycling, accepted(recycling)]).when(decideOn(ALICE, 'refuse', 'prod-1_lc2')).then([refused(repair)])
  })
})

t.test('an accepted recycling ends the product’s life', async t => {
  t.test('transfers, claims, claim codes, listings and new stories answer with a conflict', async () => {
    given(ended).when(command('TransferOwnership', { toUserId: BOB }, ALICE)).thenThrows(Conflict, 'life has ended')
    given(ended).when(command('IssueClaimCode', { claimCodeHash: 'h', expiresAt: LATER }, ALICE)).thenThrows(Conflict, 'life has ended')
    given([...ownedByAlice, claimCodeIssued('h'), recycling, accepted(recycling)])
      .when(command('ClaimProduct', { claimCodeHash: 'h' }, BOB))
      .thenThrows(Conflict, 'life has ended')
    given(ended)
      .when(command('ListProduct', { listingId: 'prod-1_l9', price: eur(1000), condition: 'fair', suggestedPrice: null }, ALICE))
      .thenThrows(Conflict, 'life has ended')
    given(ended)
      .when(command('SubmitStory', { storyId: STORY, title: 'Last wear', body: 'Goodbye', occurredAt: ALICE_FROM, mediaIds: [] }, ALICE))
      .thenThrows(Conflict, 'life has ended')
  })
  t.test('an accepted repair ends nothing', async () => {
    given([...ownedByAlice, recorded(), accepted(recorded())]).when(command('TransferOwnership', { toUserId: BOB }, ALICE)).then([transferred(ALICE, BOB, NOW)])
  })
  t.test('a refused recycling ends nothing', async () => {
    given([...ownedByAlice, recycling, refused(recycling)]).when(command('TransferOwnership', { toUserId: BOB }, ALICE)).then([transferred(ALICE, BOB, NOW)])
  })
  t.test('a pending recycling does not stop a listing', async () => {
    given([...ownedByAlice, recycling])
      .when(command('ListProduct', { listingId: 'prod-1_l1', price: eur(12_000), condition: 'good', suggestedPrice: eur(11_000) }, ALICE, { now: '2024-05-01T00:00:00.000Z' }))
      .then([listed()])
  })
})
