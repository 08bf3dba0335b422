/**
 * Partners' API keys: `ptvem_<keyId>_<secret>`, 32 random bytes of secret. Only the SHA-256 hash of the whole key
 * is stored; a key of that much entropy needs no slow hash. A key acts for its owner, within its scopes, and
 * with no more than the owner's current partner or brand roles.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { ApiKeyScope } from '../adapters/ports.ts'
import type { Role } from '../domain/user/events.ts'

export const API_KEY_HEADER = 'x-api-key'

export const hashApiKey = (apiKey: string): string => createHash('sha256').update(apiKey).digest('hex')

export const newApiKey = (keyId: string): string => `ptvem_${keyId}_${randomBytes(32).toString('base64url')}`

/** The roles a key may act in: never admin, moderator or consumer powers, whatever else its owner holds. */
const KEY_ROLES: readonly Role[] = ['brand', 'repairer', 'reseller', 'recycler', 'authority']

export const keyRoles = (ownerRoles: readonly Role[]): Role[] => ownerRoles.filter(role => KEY_ROLES.includes(role))

/** The roles that may hold each scope. */
const SCOPE_ROLES: Record<ApiKeyScope, readonly Role[]> = {
  'lifecycle:write': ['repairer', 'reseller', 'recycler', 'brand'],
  'passport:read': ['repairer', 'reseller', 'recycler', 'authority', 'brand'],
  webhooks: ['repairer', 'reseller', 'recycler', 'authority', 'brand'],
}

/** The scopes the roles do not allow. */
export const scopesBeyond = (scopes: readonly ApiKeyScope[], roles: readonly Role[]): ApiKeyScope[] =>
  scopes.filter(scope => !SCOPE_ROLES[scope].some(role => roles.includes(role)))
