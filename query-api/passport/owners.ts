/** An ownership timeline as the public sees it: `hidden` omits identity and details, `anonymous` identity only. */
import type { OwnershipVia, Visibility } from '../../domain/product/events.ts'
import { DEFAULT_VISIBILITY } from '../../domain/product/consent.ts'
import { showsDetailsOf, type People, type PersonRef } from './people.ts'

export interface OwnerPeriodInput {
  userId: string
  from: string
  to: string | null
  via?: OwnershipVia
}

export interface PublicOwnerPeriod {
  owner: PersonRef
  visibility: Visibility
  from: string | null
  to: string | null
  via?: OwnershipVia | null
}

export const presentOwners = (periods: readonly OwnerPeriodInput[], people: People): PublicOwnerPeriod[] =>
  periods.map(({ userId, from, to, via }) => {
    const visibility = people.visibilityOf(userId) ?? DEFAULT_VISIBILITY
    if (!showsDetailsOf(people, userId)) return { owner: null, visibility, from: null, to: null, ...(via && { via: null }) }
    return { owner: people.ref(userId), visibility, from, to, ...(via && { via }) }
  })
