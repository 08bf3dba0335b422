/**
 * Erasing a user: UserErased through the user decider, then the subject's key is deleted, which leaves every
 * piece of their personal data in the log unreadable (crypto-shredding). The log itself is not touched, so its
 * hash chains still verify. In this order a failure in between is repaired by running it again: the decider
 * appends nothing the second time, and the key is deleted anyway.
 *
 * Meant to be shared with an HTTP route (DELETE /api/admin/users/{userId}); it needs only the ports.
 */
import type { KeyStore } from '../adapters/ports.ts'
import { handleCommand } from '../command-api/handleCommand.ts'
import { streams } from '../domain/ids.ts'
import { userDecider, type UserCommand } from '../domain/user/index.ts'
import type { EventLog } from '../eventlog/port.ts'

export interface Erasure {
  userId: string
  /** An admin's user id, or 'system'. */
  actorId: string
  now: string
  correlationId: string
}

export interface Erased {
  /** false when the user was already erased: only the key deletion was repeated. */
  appended: boolean
  position: number
}

export async function eraseUser(ports: { eventLog: EventLog; keys: KeyStore }, erasure: Erasure, newEventId: () => string): Promise<Erased> {
  const { userId, actorId, now, correlationId } = erasure
  const command: UserCommand = { type: 'EraseUser', data: { userId }, metadata: { actorId, roles: ['admin'], now } }
  const result = await handleCommand(ports.eventLog, streams.user(userId), userDecider, command, { correlationId, causationId: correlationId }, { newEventId })
  await ports.keys.delete(userId)
  return { appended: result.newEvents.length > 0, position: result.position }
}
