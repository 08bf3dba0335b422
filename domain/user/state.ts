import type { AccountType, Role, UserEvent } from './events.ts'

/** A user account as its own stream tells it: what the user rules decide on and what login checks. */
export interface Account {
  userId: string
  /** null once erased from the log's personal data, or read from the raw log. */
  email: string | null
  displayName: string | null
  passwordHash: string
  accountType: AccountType
  brandName?: string
  roles: Role[]
}

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
  /** null before registration and after erasure. */
  account: Account | null
  /** The keyed hash of the email registered with (not personal data: erasure keeps it, to release the email). */
  emailHash: string | null
  erased: boolean
  /** null unless the account registered as a brand. */
  brand: BrandState | null
}

export const initialState = (): UserState => ({ account: null, emailHash: null, erased: false, brand: null })

const withBrand = (state: UserState, change: Partial<BrandState>): UserState =>
  state.brand ? { ...state, brand: { ...state.brand, ...change } } : state

export const evolve = (state: UserState, event: UserEvent): UserState => {
  switch (event.type) {
    case 'UserRegistered': {
      const { userId, email, emailHash, displayName, passwordHash, accountType, brandName, roles, registeredAt } = event.data
      const brand: BrandState | null =
        accountType === 'brand' && brandName !== undefined
          ? { brandName, status: 'pending', gs1CompanyPrefixes: [], appliedAt: registeredAt, verifiedAt: null }
          : null
      const account: Account = { userId, email, displayName, passwordHash, accountType, brandName, roles }
      return { account, emailHash, erased: false, brand }
    }
    case 'UserRolesChanged':
      return { ...state, account: state.account && { ...state.account, roles: event.data.roles } }
    case 'UserErased':
      return { ...state, account: null, erased: true }
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
