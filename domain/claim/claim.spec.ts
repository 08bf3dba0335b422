import t from 'tap'
import { Conflict } from '../errors.ts'
import { spec } from '../testing/spec.ts'
import { claimDecider, type ClaimCommand } from './decide.ts'
import type { ClaimEvent, ClaimKind } from './events.ts'

const { given } = spec(claimDecider)
const metadata = { actorId: 'admin-1', roles: ['admin'], now: '2024-06-01T12:00:00.000Z' }
const data = (holderId: string, kind: ClaimKind = 'brandName') => ({ kind, key: 'acmeapparel', holderId })
const claim = (holderId: string, kind?: ClaimKind): ClaimCommand => ({ type: 'ClaimKey', data: data(holderId, kind), metadata })
const release = (holderId: string): ClaimCommand => ({ type: 'ReleaseKey', data: data(holderId), metadata })
const claimed = (holderId: string, kind?: ClaimKind): ClaimEvent => ({ type: 'KeyClaimed', data: data(holderId, kind) })
const released = (holderId: string): ClaimEvent => ({ type: 'KeyReleased', data: data(holderId) })

t.test('a free key is claimed', async () => {
  given([]).when(claim('brand-a')).then([claimed('brand-a')])
})
t.test('a key its holder claims again changes nothing', async () => {
  given([claimed('brand-a')]).when(claim('brand-a')).thenNothingHappened()
})
t.test('a key held by another is refused, whatever its kind', async () => {
  given([claimed('brand-a')]).when(claim('brand-b')).thenThrows(Conflict, 'another verified brand has this name')
  given([claimed('brand-a', 'gs1CompanyPrefix')]).when(claim('brand-b', 'gs1CompanyPrefix')).thenThrows(Conflict, 'GS1 Company Prefix')
  given([claimed('p-1', 'itemIdentifier')]).when(claim('p-2', 'itemIdentifier')).thenThrows(Conflict, 'GTIN and serial number')
})
t.test('a released key is free for another', async () => {
  given([claimed('brand-a'), released('brand-a')]).when(claim('brand-b')).then([claimed('brand-b')])
})
t.test('only the holder releases a key', async () => {
  given([claimed('brand-a')]).when(release('brand-a')).then([released('brand-a')])
  given([claimed('brand-a')]).when(release('brand-b')).thenNothingHappened()
  given([]).when(release('brand-a')).thenNothingHappened()
})
