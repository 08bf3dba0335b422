import type { Role, UserEvent } from './events.ts'

export type BrandStatus = 'pending' | 'verified' | 'rejected'

/** A brand account's application and what an admin decided on it. */
export interface BrandState {
  brandName: string
  status: BrandStatus
  gs1CompanyPrefixes: string[]
  appliedAt: string
  /** When it was last verified; null until then. */
  verifiedAt: string | null
}

export interface UserState {
  exists: boolean
  userId: string
  roles: Role[]
  erased: boolean
  /** null unless the account registered as a brand. */
  brand: BrandState | null
}

export const initialState = (): UserState => ({ exists: false, userId: '', roles: [], erased: false, brand: null })

const withBrand = (state: UserState, change: Partial<BrandState>): UserState =>
  state.brand ? { ...state, brand: { ...state.brand, ...change } } : state

export const evolve = (state: UserState, event: UserEvent): UserState => {
  switch (event.type) {
    case 'UserRegistered': {
      const { userId, roles, accountType, brandName, registeredAt } = event.data
      const brand: BrandState | null =
        accountType === 'brand' && brandName !== undefined
          ? { brandName, status: 'pending', gs1CompanyPrefixes: [], appliedAt: registeredAt, verifiedAt: null }
          : null
      return { exists: true, userId, roles, erased: false, brand }
    }
    case 'UserRolesChanged':
      return { ...state, roles: event.data.roles }
    case 'UserErased':
      return { ...state, erased: true }
    case 'BrandVerified': {
      const { brandName, gs1CompanyPrefixes, verifiedAt } = event.data
      return withBrand(state, { brandName, status: 'verified', gs1CompanyPrefixes, verifiedAt })
    }
    case 'Gs1CompanyPrefixesGranted':
      return withBrand(state, { gs1CompanyPrefixes: [...(state.brand?.gs1CompanyPrefixes ?? []), ...event.data.gs1CompanyPrefixes] })
    case 'BrandRejected':
    case 'BrandVerificationRevoked':
      return withBrand(state, { status: 'rejected', gs1CompanyPrefixes: [] })
    default: {
      const _exhaustive: never = event
      return state
    }
  }
}
