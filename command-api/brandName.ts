/** What a brand's products and collections need of it, read from the brand's own user stream. */
import type { CommandApiContext } from '../app/context.ts'
import { fold } from '../domain/decider.ts'
import { streams } from '../domain/ids.ts'
import type { BrandFacts } from '../domain/product/commands.ts'
import { userDecider, type UserEvent } from '../domain/user/index.ts'
import { readDomainEvents } from '../eventlog/domainEvents.ts'
import { loadAccount } from './users/accounts.ts'
import { HttpProblem } from '../http/problem.ts'

const accountGone = () => new HttpProblem(403, 'Forbidden', 'the account no longer exists')

/** 403 when the account no longer exists; 422 when it has no brand name (e.g. made a brand by an admin). */
export async function brandNameOf(ctx: CommandApiContext, userId: string): Promise<string> {
  const account = await loadAccount(ctx.eventLog, userId)
  if (!account) throw accountGone()
  // Never the display name instead: that is personal data, and not the brand's name.
  if (!account.brandName) throw new HttpProblem(422, 'Unprocessable Content', 'a brand account needs a brand name')
  return account.brandName
}

/** The brand's name and verification, for the product decider to judge; 403 when the account no longer exists. */
export async function issuingBrand(ctx: CommandApiContext, userId: string): Promise<{ brandName: string; facts: BrandFacts }> {
  const state = fold(userDecider, await readDomainEvents<UserEvent>(ctx.eventLog, streams.user(userId)))
  if (!state.account) throw accountGone()
  const { brand } = state
  return { brandName: brand?.brandName ?? '', facts: { verified: brand?.status === 'verified', gs1CompanyPrefixes: brand?.gs1CompanyPrefixes ?? [] } }
}
