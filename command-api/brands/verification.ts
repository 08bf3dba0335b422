/**
 * An admin's decision on a brand, written to the brand's user stream. A verified brand's name and prefixes are
 * claimed in the same command, before the decision is appended (409 when another verified brand holds the name, or
 * a prefix that overlaps one of them); a revocation lets go of them after.
 */
import type { CommandApiContext } from '../../app/context.ts'
import { streams } from '../../domain/ids.ts'
import type { DecideBrandVerification } from '../../domain/user/commands.ts'
import type { UserEvent } from '../../domain/user/events.ts'
import { userDecider, type UserState } from '../../domain/user/index.ts'
import type { BrandState } from '../../domain/user/state.ts'
import type { CommandContext } from '../../http/commandContext.ts'
import { rememberRoles } from '../users/roles.ts'
import { brandNameKey, claimAll, releaseAll, type Claim } from '../claims.ts'
import { handleCommand } from '../handleCommand.ts'

const prefixClaims = (prefixes: readonly string[]): Claim[] => prefixes.map(value => ({ kind: 'gs1CompanyPrefix', value }))

/** What the brand holds once these events are appended, and did not before. */
const newClaims = (events: readonly UserEvent[]): Claim[] =>
  events.flatMap((event): Claim[] => {
    if (event.type === 'BrandVerified') return [{ kind: 'brandName', value: brandNameKey(event.data.brandName) }, ...prefixClaims(event.data.gs1CompanyPrefixes)]
    if (event.type === 'Gs1CompanyPrefixesGranted') return prefixClaims(event.data.gs1CompanyPrefixes)
    return []
  })

export async function decideBrandVerification(ctx: CommandApiContext, data: DecideBrandVerification['data'], metadata: CommandContext) {
  let before: BrandState | null = null
  const command: DecideBrandVerification = { type: 'DecideBrandVerification', data, metadata }
  const beforeAppend = async (events: UserEvent[], state: UserState) => {
    before = state.brand
    await claimAll(ctx, newClaims(events), data.userId, metadata)
  }
  const streamId = streams.user(data.userId)
  const result = await handleCommand({ log: ctx.eventLog, streamId, decider: userDecider, command, metadata, newEventId: ctx.newId, beforeAppend })
  const revoked = result.newEvents.some(event => event.type === 'BrandVerificationRevoked')
  const held = before as BrandState | null
  if (revoked && held) {
    await releaseAll(ctx, [{ kind: 'brandName', value: brandNameKey(held.brandName) }, ...prefixClaims(held.gs1CompanyPrefixes)], data.userId, metadata)
  }
  await rememberRoles(ctx.cache, data.userId, result.newState.account?.roles ?? null)
  return result
}
