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

export interface UserState {
  /** null before registration and after erasure. */
  account: Account | null
  /** The keyed hash of the email registered with (not personal data: erasure keeps it, to release the email). */
  emailHash: string | null
  erased: boolean
}

export const initialState = (): UserState => ({ account: null, emailHash: null, erased: false })

export const evolve = (state: UserState, event: UserEvent): UserState => {
  switch (event.type) {
    case 'UserRegistered': {
      const { userId, email, emailHash, displayName, passwordHash, accountType, brandName, roles } = event.data
      return { account: { userId, email, displayName, passwordHash, accountType, brandName, roles }, emailHash, erased: false }
    }
    case 'UserRolesChanged':
      return { ...state, account: state.account && { ...state.account, roles: event.data.roles } }
    case 'UserErased':
      return { ...state, account: null, erased: true }
    default: {
      const _exhaustive: never = event
      return state
    }
  }
}
