/**
 * Checks an email and password against the email and user streams (never a read model), with lock-out. It reads
 * through ctx.eventLog, the decrypting log: the password hash is stored sealed (adapters/personalData.ts).
 */
import type { CommandApiContext } from '../../app/context.ts'
import type { Account } from '../../domain/user/index.ts'
import { loadAccount } from '../users/accounts.ts'
import { HttpProblem } from '../../http/problem.ts'
import { emailHashOf, userIdForEmail } from './email.ts'
import { countLoginAttempt, clearLoginAttempts } from './lockout.ts'
import { passwordGate, verifyNothing, verifyPassword } from './passwords.ts'

/**
 * The account; 401 on bad credentials (an unknown email and a wrong password look alike), 429 when locked out, 503
 * when too many passwords are being checked already (it is refused before it is counted).
 */
export function checkCredentials(ctx: CommandApiContext, email: string, password: string, address: string): Promise<Account> {
  return passwordGate(ctx.config).run(async () => {
    const emailHash = emailHashOf(ctx, email)
    await countLoginAttempt(ctx, emailHash, address)
    const userId = await userIdForEmail(ctx, emailHash)
    const account = userId === null ? null : await loadAccount(ctx.eventLog, userId)
    // The password hash is sealed under the user's key: null once the key is erased, and then nothing matches.
    const passwordHash: string | null = account?.passwordHash ?? null
    const valid = passwordHash !== null ? await verifyPassword(password, passwordHash) : await verifyNothing(password)
    if (!account || !valid) throw new HttpProblem(401, 'Unauthorized', 'the email or password is wrong')
    await clearLoginAttempts(ctx, emailHash, address)
    return account
  })
}
