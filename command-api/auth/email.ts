/**
 * Emails as the event log knows them: normalised, then a keyed hash (the clear address is personal data).
 * Each hash has its own stream, claimed with "no stream" expected, so an email is taken at most once.
 */
import { createHmac } from 'node:crypto'
import type { CommandApiContext } from '../../app/context.ts'
import type { CommandContext } from '../../http/commandContext.ts'
import { HttpProblem } from '../../http/problem.ts'
import { streams } from '../../domain/ids.ts'
import type { EmailClaimed } from '../../domain/user/events.ts'
import { WrongExpectedRevision } from '../../eventlog/port.ts'
import { readDomainEvents } from '../../eventlog/domainEvents.ts'

export const normaliseEmail = (email: string): string => email.normalize('NFC').trim().toLowerCase()

export const emailHashOf = (ctx: CommandApiContext, email: string): string =>
  createHmac('sha256', ctx.config.signingSecret).update(`email:${normaliseEmail(email)}`).digest('hex')

/** 409 when the email is already taken. */
export async function claimEmail(ctx: CommandApiContext, emailHash: string, userId: string, metadata: CommandContext): Promise<void> {
  const claimed: EmailClaimed = { type: 'EmailClaimed', data: { emailHash, userId } }
  const { now, actorId, correlationId, causationId } = metadata
  const event = { ...claimed, metadata: { eventId: ctx.newId(), occurredAt: now, actorId, correlationId, causationId, schemaVersion: 1 } }
  try {
    await ctx.eventLog.append(streams.email(emailHash), [event], 'no_stream')
  } catch (error) {
    if (error instanceof WrongExpectedRevision) throw new HttpProblem(409, 'Conflict', 'this email is already registered')
    throw error
  }
}

/** The account that claimed the email, null when none did. */
export async function userIdForEmail(ctx: CommandApiContext, emailHash: string): Promise<string | null> {
  const [claim] = await readDomainEvents<EmailClaimed>(ctx.eventLog, streams.email(emailHash), { direction: 'backwards', maxCount: 1 })
  return claim?.data.userId ?? null
}
