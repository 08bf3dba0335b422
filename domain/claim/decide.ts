import type { Decider, DomainCommand } from '../decider.ts'
import { Conflict } from '../errors.ts'
import type { ClaimEvent, ClaimKind } from './events.ts'

type ClaimData = { kind: ClaimKind; key: string; holderId: string }

export type ClaimKey = DomainCommand<'ClaimKey', ClaimData>
export type ReleaseKey = DomainCommand<'ReleaseKey', ClaimData>
export type ClaimCommand = ClaimKey | ReleaseKey

export interface ClaimState {
  /** Who holds the key; null when nobody does. */
  holderId: string | null
}

export const initialState = (): ClaimState => ({ holderId: null })

export const evolve = (_state: ClaimState, event: ClaimEvent): ClaimState => ({ holderId: event.type === 'KeyClaimed' ? event.data.holderId : null })

const conflicts: Record<ClaimKind, string> = {
  brandName: 'another verified brand has this name',
  gs1CompanyPrefix: 'another verified brand holds this GS1 Company Prefix',
  itemIdentifier: 'a product with this GTIN and serial number already exists',
}

export const decide = ({ type, data }: ClaimCommand, { holderId }: ClaimState): ClaimEvent[] => {
  if (type === 'ReleaseKey') return holderId === data.holderId ? [{ type: 'KeyReleased', data }] : []
  if (holderId === data.holderId) return []
  if (holderId !== null) throw new Conflict(conflicts[data.kind])
  return [{ type: 'KeyClaimed', data }]
}

export const claimDecider: Decider<ClaimCommand, ClaimEvent, ClaimState> = { decide, evolve, initialState }
