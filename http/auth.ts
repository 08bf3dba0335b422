/**
 * Bearer authentication. Every request with an Authorization header has its token checked (HS256 only,
 * signature, expiry, revocation, the account's current roles); `request.auth` is the caller or null.
 * Routes guard themselves with `onRequest: requireAuth` or `onRequest: requireRole('brand')`.
 */
import fp from 'fastify-plugin'
import jwt from 'jsonwebtoken'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { AppContext } from '../app/context.ts'
import type { Cache } from '../adapters/ports.ts'
import type { Role } from '../domain/user/events.ts'
import { HttpProblem } from './problem.ts'
import { verifyToken } from './tokens.ts'

export interface AuthUser {
  userId: string
  roles: Role[]
  jti: string
  expiresAt: string
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthUser | null
  }
}

const revokedKey = (jti: string) => `revoked-token:${jti}`

/** Revokes a token until it would have expired anyway. */
export async function revokeToken(cache: Cache, user: AuthUser, now: Date): Promise<void> {
  const ttlSeconds = Math.ceil((Date.parse(user.expiresAt) - now.getTime()) / 1000)
  if (ttlSeconds > 0) await cache.set(revokedKey(user.jti), '1', ttlSeconds)
}

/** Why a presented token was refused, for the 401 of requireAuth. */
const refusals = new WeakMap<FastifyRequest, string>()

export interface AuthOptions {
  ctx: AppContext
  /** The account's current roles, null once it no longer exists: a role change or an erasure applies to tokens already issued. */
  currentRoles: (userId: string) => Promise<Role[] | null>
}

async function authenticate({ ctx, currentRoles }: AuthOptions, header: string): Promise<AuthUser | string> {
  const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1]
  if (!token) return 'the Authorization header is not a bearer token'
  let claims
  try {
    claims = verifyToken(token, ctx.config.jwtSecret, ctx.clock())
  } catch (error) {
    return error instanceof jwt.TokenExpiredError ? 'the token has expired' : 'the token is not valid'
  }
  if ((await ctx.cache.get(revokedKey(claims.jti))) !== null) return 'the token has been revoked'
  const roles = await currentRoles(claims.userId)
  if (roles === null) return 'the account no longer exists'
  return { userId: claims.userId, roles, jti: claims.jti, expiresAt: new Date(claims.exp * 1000).toISOString() }
}

const sameRoles = (some: readonly Role[], others: readonly Role[]): boolean =>
  some.length === others.length && some.every(role => others.includes(role))

/**
 * Whether a caller authenticated earlier still is, as they were: the token neither expired nor revoked, the account
 * still there with the same roles. A long-lived response (a live stream) asks this again and again.
 */
export async function stillAuthorised({ ctx, currentRoles }: AuthOptions, user: AuthUser): Promise<boolean> {
  if (Date.parse(user.expiresAt) <= ctx.clock().getTime()) return false
  if ((await ctx.cache.get(revokedKey(user.jti))) !== null) return false
  const roles = await currentRoles(user.userId)
  return roles !== null && sameRoles(roles, user.roles)
}

const authPlugin: FastifyPluginAsync<AuthOptions> = async (app, options) => {
  app.decorateRequest('auth', null)
  // A callback hook: a request without a token, such as every QR scan, costs no promise.
  app.addHook('onRequest', (request, _reply, done) => {
    const header = request.headers.authorization
    if (header === undefined) return done()
    authenticate(options, header).then(outcome => {
      if (typeof outcome === 'string') refusals.set(request, outcome)
      else request.auth = outcome
      done()
    }, done)
  })
}

export const auth = fp(authPlugin, { name: 'ptvem-auth' })

const guards = new WeakSet<object>()

/** Whether a route hook is requireAuth or a requireRole guard (the docs mark such routes as needing a bearer). */
export const isAuthGuard = (hook: unknown): boolean => typeof hook === 'function' && guards.has(hook)

/** The caller, or a 401 problem when the request carries no valid token. */
export function authUser(request: FastifyRequest): AuthUser {
  if (request.auth) return request.auth
  const detail = refusals.get(request) ?? 'a bearer token is required'
  throw new HttpProblem(401, 'Unauthorized', detail, undefined, { 'www-authenticate': 'Bearer' })
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
