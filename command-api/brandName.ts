/** The name a brand's products and collections carry, read from the brand's own user stream. */
import type { CommandApiContext } from '../app/context.ts'
import { loadAccount } from './users/accounts.ts'
import { HttpProblem } from '../http/problem.ts'

/** 403 when the account no longer exists; 422 when it has no brand name (e.g. made a brand by an admin). */
export async function brandNameOf(ctx: CommandApiContext, userId: string): Promise<string> {
  const account = await loadAccount(ctx.eventLog, userId)
  if (!account) throw new HttpProblem(403, 'Forbidden', 'the account no longer exists')
  // Never the display name instead: that is personal data, and not the brand's name.
  if (!account.brandName) throw new HttpProblem(422, 'Unprocessable Content', 'a brand account needs a brand name')
  return account.brandName
}
