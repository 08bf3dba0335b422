/** Opening an account: claim the email's stream, then register the user on its own stream. */
import type { AppContext } from '../../app/context.ts'
import type { CommandContext } from '../../http/commandContext.ts'
import { streams } from '../../domain/ids.ts'
import type { AccountType, Role } from '../../domain/user/events.ts'
import { userDecider, type UserCommand } from '../../domain/user/index.ts'
import { handleCommand } from '../handleCommand.ts'
import { claimEmail, emailHashOf, normaliseEmail } from './email.ts'
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
export async function registerAccount(ctx: AppContext, userId: string, account: NewAccount, metadata: CommandContext) {
  const { password, ...details } = account
  const email = normaliseEmail(account.email)
  const emailHash = emailHashOf(ctx, email)
  // Hashed before the claim, so the claim and the registration follow each other as closely as they can.
  const passwordHash = await passwordGate(ctx.config).run(() => hashPassword(password))
  await claimEmail(ctx, emailHash, userId, metadata)
  const command: UserCommand = { type: 'RegisterUser', data: { ...details, userId, email, emailHash, passwordHash }, metadata }
  const result = await handleCommand(ctx.eventLog, streams.user(userId), userDecider, command, metadata, { newEventId: ctx.newId })
  return { userId, email, displayName: account.displayName, roles: account.roles, position: result.position }
}
