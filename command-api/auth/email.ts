/**
 * Emails as the event log knows them: normalised, then a keyed hash (the clear address is personal data).
 * Each hash has its own stream, whose holder the email-claim decider (domain/user/emailClaim.ts) decides.
 */
import { createHmac } from 'node:crypto'
import type { CommandApiContext } from '../../app/context.ts'
import type { CommandContext } from '../../http/commandContext.ts'
import { fold } from '../../domain/decider.ts'
import { Conflict } from '../../domain/errors.ts'
import { streams } from '../../domain/ids.ts'
import { emailDecider, type EmailState } from '../../domain/user/emailClaim.ts'
import type { EmailEvent } from '../../domain/user/events.ts'
import type { EventLog } from '../../eventlog/port.ts'
import { readDomainEvents } from '../../eventlog/domainEvents.ts'
import { handleCommand, StaleRevision, type CommandMetadata } from '../handleCommand.ts'
import { loadAccount } from '../users/accounts.ts'

export const normaliseEmail = (email: string): string => email.normalize('NFC').trim().toLowerCase()

export const emailHashOf = (ctx: Pick<CommandApiContext, 'config'>, email: string): string =>
  createHmac('sha256', ctx.config.signingSecret).update(`email:${normaliseEmail(email)}`).digest('hex')

async function loadEmail(log: EventLog, emailHash: string): Promise<{ state: EmailState; revision: number }> {
  const events = await readDomainEvents<EmailEvent>(log, streams.email(emailHash))
  return { state: fold(emailDecider, events), revision: events.length - 1 }
}

/** 409 when the email is held by an account, or by a registration that may still complete. */
export async function claimEmail(ctx: CommandApiContext, emailHash: string, userId: string, metadata: CommandContext): Promise<void> {
  const { state, revision } = await loadEmail(ctx.eventLog, emailHash)
  const holderHasAccount = state.holder !== null && state.holder !== userId && (await loadAccount(ctx.rawEventLog, state.holder)) !== null
  const command = { type: 'ClaimEmail' as const, data: { emailHash, userId, holderHasAccount }, metadata }
  try {
    // Pinned to the revision the holder was looked up at: a claim made meanwhile is someone else's registration.
    await handleCommand({ log: ctx.eventLog, streamId: streams.email(emailHash), decider: emailDecider, command, metadata, ifMatch: revision, newEventId: ctx.newId })
  } catch (error) {
    if (error instanceof StaleRevision) throw new Conflict('this email is already registered')
    throw error
  }
}

/** Frees the email if `userId` holds it; nothing otherwise. */
export async function releaseEmail(
  ports: { eventLog: EventLog },
  emailHash: string,
  userId: string,
  metadata: ReleaseMetadata,
  newEventId: () => string,
): Promise<void> {
  const command = { type: 'ReleaseEmail' as const, data: { emailHash, userId }, metadata }
  await handleCommand({ log: ports.eventLog, streamId: streams.email(emailHash), decider: emailDecider, command, metadata, newEventId })
}

type ReleaseMetadata = CommandMetadata & { actorId: string; roles: readonly string[]; now: string }

/** The account that holds the email, null when none does. */
export async function userIdForEmail(ctx: Pick<CommandApiContext, 'eventLog'>, emailHash: string): Promise<string | null> {
  return (await loadEmail(ctx.eventLog, emailHash)).state.holder
}
