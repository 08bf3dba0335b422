/** The first admin account, from ADMIN_EMAIL and ADMIN_PASSWORD, created at start when the email is still free. */
import type { FastifyBaseLogger } from 'fastify'
import type { AppContext } from './context.ts'
import { emailHashOf, userIdForEmail } from '../command-api/auth/email.ts'
import { registerAccount } from '../command-api/auth/registration.ts'
import { HttpProblem } from '../http/problem.ts'
import { Conflict } from '../domain/errors.ts'

export async function bootstrapAdmin(ctx: AppContext, log: FastifyBaseLogger): Promise<void> {
  const { adminEmail: email, adminPassword: password } = ctx.config
  if (!email || !password) return
  if ((await userIdForEmail(ctx, emailHashOf(ctx, email))) !== null) return

  const userId = ctx.newId()
  const metadata = { actorId: userId, roles: [], now: ctx.clock().toISOString(), correlationId: userId, causationId: 'admin-bootstrap' }
  const account = { email, password, displayName: 'Administrator', accountType: 'consumer' as const, roles: ['admin' as const, 'moderator' as const] }
  try {
    await registerAccount(ctx, userId, account, metadata)
    log.info({ userId }, 'admin account created')
  } catch (error) {
    // Another instance starting at the same time created it first.
    if (!(error instanceof Conflict || (error instanceof HttpProblem && error.status === 409))) throw error
  }
}
