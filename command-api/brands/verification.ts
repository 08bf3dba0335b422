/**
 * An admin's decision on a brand, written to the brand's user stream. A verified brand's name and prefixes are
 * claimed in the same command, before the decision is appended (409 when another verified brand holds one); a
 * revocation lets go of them after.
 */
import type { CommandApiContext } from '../../app/context.ts'
import { streams } from '../../domain/ids.ts'
import type { DecideBrandVerification } from '../../domain/user/commands.ts'
import type { UserEvent } from '../../domain/user/events.ts'
import { userDecider, type UserState } from '../../domain/user/index.ts'
import type { BrandState } from '../../domain/user/state.ts'
import type { CommandContext } from '../../http/commandContext.ts'
import { rememberRoles } from '../users/roles.ts'
import { brandNameKey, claimKeys, releaseKeys } from '../claims.ts'
import { handleCommand } from '../handleCommand.ts'

async function claimVerified(ctx: CommandApiContext, events: UserEvent[], metadata: CommandContext) {
  for (const event of events) {
    if (event.type === 'BrandVerified') await claimKeys(ctx, 'brandName', [brandNameKey(event.data.brandName)], event.data.userId, metadata)
    if (event.type === 'BrandVerified' || event.type === 'Gs1CompanyPrefixesGranted')
      await claimKeys(ctx, 'gs1CompanyPrefix', event.data.gs1CompanyPrefixes, event.data.userId, metadata)
  }
}

export async function decideBrandVerification(ctx: CommandApiContext, data: DecideBrandVerification['data'], metadata: CommandContext) {
  let before: BrandState | null = null
  const command: DecideBrandVerification = { type: 'DecideBrandVerification', data, metadata }
  const beforeAppend = async (events: UserEvent[], state: UserState) => {
    before = state.brand
    await claimVerified(ctx, events, metadata)
  }
  const streamId = streams.user(data.userId)
  const result = await handleCommand({ log: ctx.eventLog, streamId, decider: userDecider, command, metadata, newEventId: ctx.newId, beforeAppend })
  const revoked = result.newEvents.some(event => event.type === 'BrandVerificationRevoked')
  const held = before as BrandState | null
  if (revoked && held) {
    await releaseKeys(ctx, 'brandName', [brandNameKey(held.brandName)], data.userId, metadata)
    await releaseKeys(ctx, 'gs1CompanyPrefix', held.gs1CompanyPrefixes, data.userId, metadata)
  }
  await rememberRoles(ctx.cache, data.userId, result.newState.account?.roles ?? null)
  return result
}
