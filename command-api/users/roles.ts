/**
 * A user's current roles, so a role change or an erasure takes effect on tokens already issued. Read from
 * the user stream (never a read model) and kept in the cache; the roles route refreshes the cached value.
 */
import type { CommandApiContext } from '../../app/context.ts'
import type { Cache } from '../../adapters/ports.ts'
import type { Role } from '../../domain/user/events.ts'
import { loadAccount } from './accounts.ts'

const CACHE_TTL_SECONDS = 300
const NO_ACCOUNT = 'none'
const key = (userId: string) => `user-roles:${userId}`

/** null when the account does not exist or was erased. */
export async function currentRoles(ctx: CommandApiContext, userId: string): Promise<Role[] | null> {
  const cached = await ctx.cache.get(key(userId))
  if (cached !== null) return cached === NO_ACCOUNT ? null : (JSON.parse(cached) as Role[])
  // Roles are not personal data: the raw log spares a decryption.
  const roles = (await loadAccount(ctx.rawEventLog, userId))?.roles ?? null
  await rememberRoles(ctx.cache, userId, roles)
  return roles
}

export async function rememberRoles(cache: Cache, userId: string, roles: Role[] | null): Promise<void> {
  await cache.set(key(userId), roles === null ? NO_ACCOUNT : JSON.stringify(roles), CACHE_TTL_SECONDS)
}
