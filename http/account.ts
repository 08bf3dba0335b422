/** A user account as its own stream tells it: what login checks and what the auth routes answer with. */
import type { EventLog } from '../eventlog/port.ts'
import type { AccountType, Role, UserEvent } from '../domain/user/events.ts'
import { streams } from '../domain/ids.ts'
import { readDomainEvents } from '../eventlog/domainEvents.ts'

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

/** null when the user never registered or was erased. */
export function foldAccount(events: readonly UserEvent[]): Account | null {
  return events.reduce<Account | null>((account, event) => {
    switch (event.type) {
      case 'UserRegistered': {
        const { userId, email, displayName, passwordHash, accountType, brandName, roles } = event.data
        return { userId, email, displayName, passwordHash, accountType, brandName, roles }
      }
      case 'UserRolesChanged':
        return account && { ...account, roles: event.data.roles }
      case 'UserErased':
        return null
      default:
        return account
    }
  }, null)
}

export async function loadAccount(log: EventLog, userId: string): Promise<Account | null> {
  return foldAccount(await readDomainEvents<UserEvent>(log, streams.user(userId)))
}
