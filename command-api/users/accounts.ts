/** Accounts loaded from their own user streams (never a read model). */
import { fold } from '../../domain/decider.ts'
import { streams } from '../../domain/ids.ts'
import { userDecider, type Account, type UserEvent } from '../../domain/user/index.ts'
import type { EventLog } from '../../eventlog/port.ts'
import { readDomainEvents } from '../../eventlog/domainEvents.ts'

/** null when the user never registered or was erased. */
export async function loadAccount(log: EventLog, userId: string): Promise<Account | null> {
  return fold(userDecider, await readDomainEvents<UserEvent>(log, streams.user(userId))).account
}
