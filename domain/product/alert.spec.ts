import t from 'tap'
import { Conflict, Forbidden, NotFound } from '../errors.ts'
import { spec } from '../testing/spec.ts'
import {
  ALICE,
  ALICE_FROM,
  BOB,
  CAROL,
  LATER,
  LISTING,
  NOW,
  PRODUCT,
  SOON,
  TRANSACTION,
  claimCodeIssued,
  command,
  eur,
  listedByAlice,
  ownedByAlice,
  reservedByBob,
} from './testing/fixtures.ts'
import { productDecider } from './index.ts'
import type { AlertRaised, AlertStatus, ScannedWhileReported } from './protectionEvents.ts'

const { given } = spec(productDecider)

const REPORTED_AT = '2024-05-20T08:00:00.000Z'
const raised = (status: AlertStatus = 'stolen', at = REPORTED_AT, note?: string): AlertRaised => ({
  type: 'AlertRaised',
  data: { productId: PRODUCT, status, ...(note !== undefined && { note }), reportedBy: ALICE, at },
})
const cleared = (clearedBy: string) => ({ type: 'AlertCleared' as const, data: { productId: PRODUCT, clearedBy, at: NOW } })
const scanned = (at: string): ScannedWhileReported => ({ type: 'ScannedWhileReported', data: { productId: PRODUCT, ownerId: ALICE, at } })
const setAlert = (actorId: string, status: AlertStatus | 'none', note?: string, roles = ['consumer']) =>
  command('SetAlert', { status, ...(note !== undefined && { note }) }, actorId, { roles })

const stolenFromAlice = [...ownedByAlice, raised()]

t.test('SetAlert', async t => {
  t.test('the current owner reports the product lost or stolen, with a note or without', async () => {
    given(ownedByAlice).when(setAlert(ALICE, 'lost')).then([raised('lost', NOW)])
    given(ownedByAlice).when(setAlert(ALICE, 'stolen', 'taken from my bike')).then([raised('stolen', NOW, 'taken from my bike')])
  })
  t.test('a change of status or note is reported again; the same report twice changes nothing', async () => {
    given(stolenFromAlice).when(setAlert(ALICE, 'lost')).then([raised('lost', NOW)])
    given(stolenFromAlice).when(setAlert(ALICE, 'stolen', 'at the station')).then([raised('stolen', NOW, 'at the station')])
    given(stolenFromAlice).when(setAlert(ALICE, 'stolen')).thenNothingHappened()
  })
  t.test('the current owner or an admin clears it; clearing nothing changes nothing', async () => {
    given(stolenFromAlice).when(setAlert(ALICE, 'none')).then([cleared(ALICE)])
    given(stolenFromAlice).when(setAlert(CAROL, 'none', undefined, ['admin'])).then([cleared(CAROL)])
    given(ownedByAlice).when(setAlert(ALICE, 'none')).thenNothingHappened()
  })
  t.test('refuses anyone else', async () => {
    given(ownedByAlice).when(setAlert(BOB, 'stolen')).thenThrows(Forbidden, 'only the current owner can report')
    given(ownedByAlice).when(setAlert(CAROL, 'stolen', undefined, ['admin'])).thenThrows(Forbidden, 'only the current owner can report')
    given(stolenFromAlice).when(setAlert(BOB, 'none')).thenThrows(Forbidden, 'only the current owner or an admin')
  })
  t.test('refuses an unknown product', async () => {
    given([]).when(setAlert(ALICE, 'lost')).thenThrows(NotFound)
  })
})

t.test('while reported, the product cannot change hands (409)', async t => {
  t.test('transfer', async () => {
    given(stolenFromAlice).when(command('TransferOwnership', { toUserId: BOB }, ALICE)).thenThrows(Conflict, 'reported stolen')
  })
  t.test('a claim code', async () => {
    given(stolenFromAlice).when(command('IssueClaimCode', { claimCodeHash: 'h', expiresAt: LATER }, ALICE)).thenThrows(Conflict, 'reported stolen')
  })
  t.test('a claim with a code issued before the report', async () => {
    given([...ownedByAlice, claimCodeIssued('h'), raised('lost')]).when(command('ClaimProduct', { claimCodeHash: 'h' }, BOB)).thenThrows(Conflict, 'reported lost')
  })
  t.test('a listing', async () => {
    given(stolenFromAlice)
      .when(command('ListProduct', { listingId: LISTING, price: eur(1000), condition: 'good', suggestedPrice: null }, ALICE))
      .thenThrows(Conflict, 'reported stolen')
  })
  t.test('a reservation of a listing made before the report', async () => {
    given([...listedByAlice, raised()])
      .when(command('ReserveListing', { listingId: LISTING, transactionId: TRANSACTION, expiresAt: SOON }, BOB))
      .thenThrows(Conflict, 'reported stolen')
  })
  t.test('a purchase reserved before the report', async () => {
    given([...reservedByBob, raised()]).when(command('ConfirmPurchase', { transactionId: TRANSACTION, paymentReference: 'psp-1' }, BOB)).thenThrows(Conflict, 'reported stolen')
  })
  t.test('once cleared, it can again', async () => {
    given([...stolenFromAlice, cleared(ALICE)])
      .when(command('TransferOwnership', { toUserId: BOB }, ALICE))
      .then([{ type: 'OwnershipTransferred', data: { productId: PRODUCT, fromUserId: ALICE, toUserId: BOB, via: 'transfer', at: NOW } }])
  })
})

t.test('NoteScan: the owner hears of scans while reported, at most once an hour', async t => {
  const scan = (now: string) => command('NoteScan', {}, 'system', { roles: [], now })
  t.test('a scan of a reported product is noted', async () => {
    given(stolenFromAlice).when(scan(NOW)).then([scanned(NOW)])
  })
  t.test('not again within the hour, and again after it', async () => {
    given([...stolenFromAlice, scanned(NOW)]).when(scan('2024-06-01T12:59:59.999Z')).thenNothingHappened()
    given([...stolenFromAlice, scanned(NOW)]).when(scan('2024-06-01T13:00:00.000Z')).then([scanned('2024-06-01T13:00:00.000Z')])
  })
  t.test('a new report starts afresh', async () => {
    given([...stolenFromAlice, scanned(NOW), raised('lost', NOW)]).when(scan(SOON)).then([scanned(SOON)])
  })
  t.test('nothing for a product that is not reported, or no longer', async () => {
    given(ownedByAlice).when(scan(NOW)).thenNothingHappened()
    given([...stolenFromAlice, cleared(ALICE)]).when(scan(SOON)).thenNothingHappened()
  })
  t.test('an unknown product', async () => {
    given([]).when(scan(NOW)).thenThrows(NotFound)
  })
  t.equal(ALICE_FROM < REPORTED_AT, true, 'the report falls in Alice’s ownership')
})
