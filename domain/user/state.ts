import type { Role, UserEvent } from './events.ts'

export interface UserState {
  exists: boolean
  userId: string
  roles: Role[]
  erased: boolean
}

export const initialState = (): UserState => ({ exists: false, userId: '', roles: [], erased: false })

export const evolve = (state: UserState, event: UserEvent): UserState => {
  switch (event.type) {
    case 'UserRegistered':
      return { exists: true, userId: event.data.userId, roles: event.data.roles, erased: false }
    case 'UserRolesChanged':
      return { ...state, roles: event.data.roles }
    case 'UserErased':
      return { ...state, erased: true }
    default: {
      const _exhaustive: never = event
      return state
    }
  }
}
