/**
 * Opening an account: claim the email's stream, then register the user on its own stream. The claim comes
 * first so that no account ever exists with an email someone else holds; should the registration's append
 * fail, the claim is released at once, and should the process stop between the two, the claim lapses
 * (domain/claim/decide.ts). An email is never left taken by no account.
 */
import type { CommandApiContext } from '../../app/context.ts'
import type { CommandContext } from '../../http/commandContext.ts'
import { streams } from '../../domain/ids.ts'
import type { AccountType, Role } from '../../domain/user/events.ts'
import { userDecider, type UserCommand } from '../../domain/user/index.ts'
import { handleCommand } from '../handleCommand.ts'
import { claimEmail, emailHashOf, normaliseEmail, releaseEmail } from './email.ts'
import { hashPassword, passwordGate } from './passwords.ts'

export interface NewAccount {
  email: string
  password: string
  displayName: string
  accountType: AccountType
  brandName?: string
  roles: Role[]
}

/** 409 when the email is taken. `metadata.actorId` is the new user. */
export async function registerAccount(ctx: CommandApiContext, userId: string, account: NewAccount, metadata: CommandContext) {
  const { password, ...details } = account
  const email = normaliseEmail(account.email)
  const emailHash = emailHashOf(ctx, email)
  // Hashed before the claim, so the claim and the registration follow each other as closely as they can.
  const passwordHash = await passwordGate(ctx.config).run(() => hashPassword(password))
  await claimEmail(ctx, emailHash, userId, metadata)
  const command: UserCommand = { type: 'RegisterUser', data: { ...details, userId, email, emailHash, passwordHash }, metadata }
  const result = await handleCommand({ log: ctx.eventLog, streamId: streams.user(userId), decider: userDecider, command, metadata, newEventId: ctx.newId }).catch(
    async (error: unknown) => {
      // Should the release fail too, the claim lapses after its hold; the registration's own error is the one to answer with.
      await releaseEmail(ctx, emailHash, userId, metadata, ctx.newId).catch(() => undefined)
      throw error
    },
  )
  return { userId, email, displayName: account.displayName, roles: account.roles, position: result.position }
}
