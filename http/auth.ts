/**
 * Authentication, the one place for tokens and API keys alike. A request with an Authorization header has its
 * token checked (HS256 only, signature, expiry, revocation, the account's current roles); one with an
 * `x-api-key` has its key looked up (not revoked, accepted by the route, holding the route's scope) and acts
 * for the key's owner with the owner's current partner roles. `request.auth` is the caller or null, in the same
 * shape either way (`via` says which). Routes guard themselves with `onRequest: requireAuth` or
 * `onRequest: requireRole('brand')`; a route that takes API keys names the scope it needs in
 * `config: { apiKeyScope }`, and every other route refuses keys.
 */
import fp from 'fastify-plugin'
import jwt from 'jsonwebtoken'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { AppContext } from '../app/context.ts'
import type { ApiKeyScope, Cache } from '../adapters/ports.ts'
import type { Role } from '../domain/user/events.ts'
import { HttpProblem } from './problem.ts'
import { API_KEY_HEADER, hashApiKey, keyRoles } from './apiKeys.ts'
import { verifyToken } from './tokens.ts'

interface Caller {
  userId: string
  roles: Role[]
}

export interface TokenUser extends Caller {
  via: 'token'
  jti: string
  expiresAt: string
}

export interface KeyUser extends Caller {
  via: 'key'
  keyId: string
  scopes: ApiKeyScope[]
}

export type AuthUser = TokenUser | KeyUser

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthUser | null
  }
  interface FastifyContextConfig {
    /** The scope an API key needs on this route; a route without one refuses API keys. */
    apiKeyScope?: ApiKeyScope
  }
}

const revokedKey = (jti: string) => `revoked-token:${jti}`

/** Revokes a token until it would have expired anyway. */
export async function revokeToken(cache: Cache, user: TokenUser, now: Date): Promise<void> {
  const ttlSeconds = Math.ceil((Date.parse(user.expiresAt) - now.getTime()) / 1000)
  if (ttlSeconds > 0) await cache.set(revokedKey(user.jti), '1', ttlSeconds)
}

interface Refusal {
  status: 401 | 403
  detail: string
}

export interface AuthOptions {
  ctx: AppContext
  /** The account's current roles, null once it no longer exists: a role change or an erasure applies to tokens already issued. */
  currentRoles: (userId: string) => Promise<Role[] | null>
}

/** Why presented credentials were refused, for the 401 or 403 of requireAuth. */
const refusals = new WeakMap<FastifyRequest, Refusal>()

const unauthorized = (detail: string): Refusal => ({ status: 401, detail })

async function authenticateToken({ ctx, currentRoles }: AuthOptions, header: string): Promise<TokenUser | Refusal> {
  const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1]
  if (!token) return unauthorized('the Authorization header is not a bearer token')
  let claims
  try {
    claims = verifyToken(token, ctx.config.jwtSecret, ctx.clock())
  } catch (error) {
    return unauthorized(error instanceof jwt.TokenExpiredError ? 'the token has expired' : 'the token is not valid')
  }
  if ((await ctx.cache.get(revokedKey(claims.jti))) !== null) return unauthorized('the token has been revoked')
  const roles = await currentRoles(claims.userId)
  if (roles === null) return unauthorized('the account no longer exists')
  return { via: 'token', userId: claims.userId, roles, jti: claims.jti, expiresAt: new Date(claims.exp * 1000).toISOString() }
}

async function authenticateKey({ ctx, currentRoles }: AuthOptions, request: FastifyRequest, apiKey: string): Promise<KeyUser | Refusal> {
  const key = await ctx.apiKeys.keyByHash(hashApiKey(apiKey))
  if (!key) return unauthorized('the API key is not valid or has been revoked')
  const roles = await currentRoles(key.ownerId)
  if (roles === null) return unauthorized('the account of the API key no longer exists')
  await ctx.apiKeys.noteKeyUse(key.keyId, request.receivedAt || ctx.clock().toISOString())
  const scope = request.routeOptions.config?.apiKeyScope
  if (scope === undefined) return { status: 403, detail: 'this route does not accept API keys: use a bearer token' }
  if (!key.scopes.includes(scope)) return { status: 403, detail: `the API key lacks the scope ${scope}` }
  return { via: 'key', userId: key.ownerId, roles: keyRoles(roles), keyId: key.keyId, scopes: key.scopes }
}

function authenticate(options: AuthOptions, request: FastifyRequest): Promise<AuthUser | Refusal> | null {
  const { authorization } = request.headers
  if (authorization !== undefined) return authenticateToken(options, authorization)
  const apiKey = request.headers[API_KEY_HEADER]
  if (apiKey === undefined) return null
  return typeof apiKey === 'string' ? authenticateKey(options, request, apiKey) : Promise.resolve(unauthorized('one x-api-key header at most'))
}

const authPlugin: FastifyPluginAsync<AuthOptions> = async (app, options) => {
  app.decorateRequest('auth', null)
  // A callback hook: a request without a token, such as every QR scan, costs no promise.
  app.addHook('onRequest', (request, _reply, done) => {
    const outcome = authenticate(options, request)
    if (outcome === null) return done()
    outcome.then(caller => {
      if ('detail' in caller) refusals.set(request, caller)
      else request.auth = caller
      done()
    }, done)
  })
}

export const auth = fp(authPlugin, { name: 'ptvem-auth' })

const guards = new WeakSet<object>()

/** Whether a route hook is requireAuth or a requireRole guard (the docs mark such routes as needing a bearer). */
export const isAuthGuard = (hook: unknown): boolean => typeof hook === 'function' && guards.has(hook)

/** The caller, or a 401 problem when the request carries no valid token or key (403 for a key the route does not take). */
export function authUser(request: FastifyRequest): AuthUser {
  if (request.auth) return request.auth
  const refusal = refusals.get(request) ?? unauthorized('a bearer token is required')
  if (refusal.status === 403) throw new HttpProblem(403, 'Forbidden', refusal.detail)
  throw new HttpProblem(401, 'Unauthorized', refusal.detail, undefined, { 'www-authenticate': 'Bearer' })
}

/** The caller of a route that takes tokens only (such routes refuse keys, see apiKeyScope). */
export function tokenUser(request: FastifyRequest): TokenUser {
  const user = authUser(request)
  if (user.via !== 'token') throw new HttpProblem(403, 'Forbidden', 'this route does not accept API keys: use a bearer token')
  return user
}

/** A hook: 401 unless the request carries a valid token. */
export async function requireAuth(request: FastifyRequest): Promise<void> {
  authUser(request)
}
guards.add(requireAuth)

/** A hook: 401 without a valid token, 403 unless the caller holds one of the roles. */
export function requireRole(...roles: Role[]) {
  const guard = async (request: FastifyRequest): Promise<void> => {
    const user = authUser(request)
    if (!roles.some(role => user.roles.includes(role))) {
      throw new HttpProblem(403, 'Forbidden', `this needs one of the roles: ${roles.join(', ')}`)
    }
  }
  guards.add(guard)
  return guard
}
