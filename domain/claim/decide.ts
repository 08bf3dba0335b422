/**
 * Who holds a key. A claim is written before the event that uses it, on another stream: a command that stops
 * between the two leaves a claim nobody uses. Such a claim lapses once CLAIM_HOLD_MINUTES have passed (longer
 * than any command takes between its two appends) and the log shows that its holder's stream never used it; the
 * caller reads the holders' streams and names the claims they never used in `unused`. Until then it holds, so a command still under
 * way never loses its claim. A holder claiming again is a retry: it keeps (or renews) its claim.
 */
import type { Decider, DomainCommand } from '../decider.ts'
import { Conflict } from '../errors.ts'
import { prefixesOverlap } from '../gs1CompanyPrefix.ts'
import type { ClaimEvent, ClaimKind, KeyClaimed, KeyReleased } from './events.ts'

export const CLAIM_HOLD_MINUTES = 10

type ClaimData = { kind: ClaimKind; key: string; value: string; holderId: string }

/** `unused`: claims on this key whose holders' streams, read by the caller, do not use them. */
export type ClaimKey = DomainCommand<'ClaimKey', ClaimData & { unused: readonly Claimant[] }>
export type ReleaseKey = DomainCommand<'ReleaseKey', ClaimData>
export type ClaimCommand = ClaimKey | ReleaseKey

/** Who claims what. */
export interface Claimant {
  holderId: string
  value: string
}

export interface Holding extends Claimant {
  /** null for a claim recorded without its time. */
  claimedAt: string | null
}

export interface ClaimState {
  holdings: Holding[]
}

export const initialState = (): ClaimState => ({ holdings: [] })

const isHolding = (holderId: string, value: string) => (holding: Holding) => holding.holderId === holderId && holding.value === value

export const evolve = ({ holdings }: ClaimState, { type, data }: ClaimEvent): ClaimState => {
  const value = data.value ?? data.key
  const others = holdings.filter(holding => !isHolding(data.holderId, value)(holding))
  return { holdings: type === 'KeyClaimed' ? [...others, { holderId: data.holderId, value, claimedAt: data.claimedAt ?? null }] : others }
}

/** Whether two values of a kind cannot be held by two holders at once. */
const overlap = (kind: ClaimKind, left: string, right: string): boolean => (kind === 'gs1CompanyPrefix' ? prefixesOverlap(left, right) : left === right)

const conflicts: Record<ClaimKind, (value: string) => string> = {
  email: () => 'this email is already registered',
  brandName: () => 'another verified brand has this name',
  gs1CompanyPrefix: value => `another verified brand holds the GS1 Company Prefix ${value}, or one that starts with it or that it starts with`,
  itemIdentifier: () => 'a product with this GTIN and serial number already exists',
}

export const holdEnded = (claimedAt: string | null, now: string): boolean =>
  claimedAt === null || Date.parse(now) - Date.parse(claimedAt) >= CLAIM_HOLD_MINUTES * 60_000

function claim({ data, metadata }: ClaimKey, { holdings }: ClaimState): ClaimEvent[] {
  const { kind, key, value, holderId, unused } = data
  const lapsed = (holding: Holding) => holdEnded(holding.claimedAt, metadata.now) && unused.some(claimant => isHolding(claimant.holderId, claimant.value)(holding))
  const others = holdings.filter(holding => holding.holderId !== holderId && overlap(kind, holding.value, value))
  if (others.some(holding => !lapsed(holding))) throw new Conflict(conflicts[kind](value))
  const own = holdings.find(isHolding(holderId, value))
  if (own && others.length === 0 && !holdEnded(own.claimedAt, metadata.now)) return []
  const released = others.map((holding): KeyReleased => ({ type: 'KeyReleased', data: { kind, key, holderId: holding.holderId, value: holding.value } }))
  const claimed: KeyClaimed = { type: 'KeyClaimed', data: { kind, key, holderId, value, claimedAt: metadata.now } }
  return [...released, claimed]
}

const release = ({ data }: ReleaseKey, { holdings }: ClaimState): KeyReleased[] => {
  const { kind, key, value, holderId } = data
  return holdings.some(isHolding(holderId, value)) ? [{ type: 'KeyReleased', data: { kind, key, holderId, value } }] : []
}

export const decide = (command: ClaimCommand, state: ClaimState): ClaimEvent[] =>
  command.type === 'ClaimKey' ? claim(command, state) : release(command, state)

export const claimDecider: Decider<ClaimCommand, ClaimEvent, ClaimState> = { decide, evolve, initialState }
