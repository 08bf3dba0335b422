import t from 'tap'
import { Conflict } from '../errors.ts'
import { spec } from '../testing/spec.ts'
import { CLAIM_HOLD_MINUTES, claimDecider, type ClaimCommand, type Claimant } from './decide.ts'
import type { ClaimEvent, ClaimKind } from './events.ts'

const { given } = spec(claimDecider)
const T0 = '2024-06-01T12:00:00.000Z'
const minutesLater = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString()
const HOLD_OVER = minutesLater(CLAIM_HOLD_MINUTES)
const metadata = (now: string) => ({ actorId: 'admin-1', roles: ['admin'], now })

interface Case {
  kind?: ClaimKind
  key?: string
  value?: string
  now?: string
}
const data = (holderId: string, { kind = 'brandName', key = 'acmeapparel', value = key }: Case) => ({ kind, key, value, holderId })
const claim = (holderId: string, unused: Claimant[] = [], at: Case = {}): ClaimCommand => ({
  type: 'ClaimKey',
  data: { ...data(holderId, at), unused },
  metadata: metadata(at.now ?? T0),
})
const release = (holderId: string, at: Case = {}): ClaimCommand => ({ type: 'ReleaseKey', data: data(holderId, at), metadata: metadata(T0) })
const claimed = (holderId: string, at: Case = {}): ClaimEvent => ({ type: 'KeyClaimed', data: { ...data(holderId, at), claimedAt: at.now ?? T0 } })
const released = (holderId: string, at: Case = {}): ClaimEvent => ({ type: 'KeyReleased', data: data(holderId, at) })
/** A claim the caller found unused in its holder's stream. */
const unusedBy = (holderId: string, at: Case = {}): Claimant => ({ holderId, value: data(holderId, at).value })

t.test('a free key is claimed', async () => {
  given([]).when(claim('brand-a')).then([claimed('brand-a')])
})
t.test('a key its holder claims again, within the hold, changes nothing', async () => {
  given([claimed('brand-a')]).when(claim('brand-a', [], { now: minutesLater(1) })).thenNothingHappened()
})
t.test('a holder retrying after the hold renews its claim, so it holds while the retry completes', async () => {
  given([claimed('brand-a')]).when(claim('brand-a', [], { now: HOLD_OVER })).then([claimed('brand-a', { now: HOLD_OVER })])
})
t.test('a key held by another is refused, whatever its kind', async () => {
  given([claimed('brand-a')]).when(claim('brand-b')).thenThrows(Conflict, 'another verified brand has this name')
  const prefix = { kind: 'gs1CompanyPrefix', key: '7612345' } as const
  given([claimed('brand-a', prefix)]).when(claim('brand-b', [], prefix)).thenThrows(Conflict, 'GS1 Company Prefix 7612345')
  const item = { kind: 'itemIdentifier', key: '07612345000022/S1' } as const
  given([claimed('p-1', item)]).when(claim('p-2', [], item)).thenThrows(Conflict, 'GTIN and serial number')
  const email = { kind: 'email', key: 'hash' } as const
  given([claimed('u-1', email)]).when(claim('u-2', [], email)).thenThrows(Conflict, 'email is already registered')
})

t.test('GS1 Company Prefixes: a key holds every claimed prefix that starts with it; overlapping ones of two brands meet there', async t => {
  const shorter = { kind: 'gs1CompanyPrefix', key: '123456', value: '123456' } as const
  const longer = { kind: 'gs1CompanyPrefix', key: '123456', value: '1234567' } as const
  const sibling = { kind: 'gs1CompanyPrefix', key: '123456', value: '1234568' } as const
  t.test('a longer prefix under another brand’s shorter one is refused', async () =>
    given([claimed('brand-a', shorter)]).when(claim('brand-b', [], longer)).thenThrows(Conflict, '1234567, or one that starts with it or that it starts with'))
  t.test('a shorter prefix over another brand’s longer one is refused', async () =>
    given([claimed('brand-a', longer)]).when(claim('brand-b', [], shorter)).thenThrows(Conflict, 'GS1 Company Prefix 123456'))
  t.test('prefixes that share digits but neither starts with the other are held by two brands', async () =>
    given([claimed('brand-a', longer)]).when(claim('brand-b', [], sibling)).then([claimed('brand-b', sibling)]))
  t.test('one brand may hold overlapping prefixes', async () =>
    given([claimed('brand-a', shorter)]).when(claim('brand-a', [], longer)).then([claimed('brand-a', longer)]))
  t.test('a shorter prefix is refused while any claim under it holds, though another lapsed', async () =>
    given([claimed('brand-a', longer), claimed('brand-c', sibling)])
      .when(claim('brand-b', [unusedBy('brand-a', longer)], { ...shorter, now: HOLD_OVER }))
      .thenThrows(Conflict, '123456'))
  t.test('a shorter prefix takes over only when every overlapping claim lapsed', async () =>
    given([claimed('brand-a', longer), claimed('brand-c', sibling)])
      .when(claim('brand-b', [unusedBy('brand-a', longer), unusedBy('brand-c', sibling)], { ...shorter, now: HOLD_OVER }))
      .then([released('brand-a', longer), released('brand-c', sibling), claimed('brand-b', { ...shorter, now: HOLD_OVER })]))
  t.test('of a brand’s two claims on a key, the unused one lapsing leaves the used one holding', async () =>
    given([claimed('brand-a', longer), claimed('brand-a', { ...longer, value: '12345678' })])
      .when(claim('brand-b', [unusedBy('brand-a', longer)], { ...shorter, now: HOLD_OVER }))
      .thenThrows(Conflict, '123456'))
})

t.test('a claim whose holder never used it lapses: after the hold, and by the log', async t => {
  t.test('within the hold it holds, used or not, so a command still under way keeps it', async () =>
    given([claimed('brand-a')]).when(claim('brand-b', [unusedBy('brand-a')], { now: minutesLater(CLAIM_HOLD_MINUTES - 1) })).thenThrows(Conflict))
  t.test('after the hold, a claim its holder’s stream uses still holds', async () =>
    given([claimed('brand-a')]).when(claim('brand-b', [], { now: minutesLater(60 * 24) })).thenThrows(Conflict))
  t.test('after the hold, a claim its holder’s stream never used is released and taken', async () =>
    given([claimed('brand-a')]).when(claim('brand-b', [unusedBy('brand-a')], { now: HOLD_OVER })).then([released('brand-a'), claimed('brand-b', { now: HOLD_OVER })]))
  t.test('a claim recorded without its time lapses by the log alone', async () =>
    given([{ type: 'KeyClaimed', data: { kind: 'brandName', key: 'acmeapparel', holderId: 'brand-a' } }])
      .when(claim('brand-b', [unusedBy('brand-a')]))
      .then([released('brand-a'), claimed('brand-b')]))
})

t.test('a released key is free for another at once', async () => {
  given([claimed('brand-a'), released('brand-a')]).when(claim('brand-b')).then([claimed('brand-b')])
})
t.test('only the holder releases a key', async () => {
  given([claimed('brand-a')]).when(release('brand-a')).then([released('brand-a')])
  given([claimed('brand-a')]).when(release('brand-b')).thenNothingHappened()
  given([]).when(release('brand-a')).thenNothingHappened()
})
