/**
 * Emails as the event log knows them: normalised, then a keyed hash (the clear address is personal data).
 * Each hash has its own stream, claimed like every unique key (claims.ts).
 */
import { createHmac } from 'node:crypto'
import type { CommandApiContext } from '../../app/context.ts'
import type { CommandContext } from '../../http/commandContext.ts'
import type { EventLog } from '../../eventlog/port.ts'
import { claimAll, holderOf, releaseAll } from '../claims.ts'
import type { CommandMetadata } from '../handleCommand.ts'

export const normaliseEmail = (email: string): string => email.normalize('NFC').trim().toLowerCase()

export const emailHashOf = (ctx: Pick<CommandApiContext, 'config'>, email: string): string =>
  createHmac('sha256', ctx.config.signingSecret).update(`email:${normaliseEmail(email)}`).digest('hex')

const emailClaim = (emailHash: string) => [{ kind: 'email' as const, value: emailHash }]

/** 409 when the email is held by an account, or by a registration that may still complete. */
export async function claimEmail(ctx: CommandApiContext, emailHash: string, userId: string, metadata: CommandContext): Promise<void> {
  await claimAll(ctx, emailClaim(emailHash), userId, metadata)
}

/** Frees the email if `userId` holds it; nothing otherwise. */
export async function releaseEmail(
  ports: { eventLog: EventLog },
  emailHash: string,
  userId: string,
  metadata: ReleaseMetadata,
  newEventId: () => string,
): Promise<void> {
  await releaseAll({ eventLog: ports.eventLog, newId: newEventId }, emailClaim(emailHash), userId, metadata)
}

type ReleaseMetadata = CommandMetadata & { actorId: string; roles: readonly string[]; now: string }

/** The account that holds the email, null when none does. */
export async function userIdForEmail(ctx: Pick<CommandApiContext, 'eventLog'>, emailHash: string): Promise<string | null> {
  return holderOf(ctx.eventLog, { kind: 'email', value: emailHash })
}
