/** Access tokens: HS256 JWTs with a jti, so one token can be revoked before it expires. */
import { createSecretKey, type KeyObject } from 'node:crypto'
import jwt from 'jsonwebtoken'
import type { Role } from '../domain/user/events.ts'

const ALGORITHM = 'HS256'
const ISSUER = 'ptvem'

/**
 * Given a string, jsonwebtoken tries to parse it as a public key on every call before treating it as a secret
 * (about 280 µs a token here); a secret KeyObject, made once per secret, skips that.
 */
const keys = new Map<string, KeyObject>()
function keyOf(secret: string): KeyObject {
  let key = keys.get(secret)
  if (!key) keys.set(secret, (key = createSecretKey(Buffer.from(secret))))
  return key
}

export interface TokenClaims {
  userId: string
  roles: Role[]
  jti: string
  /** Seconds since the epoch. */
  exp: number
}

export interface IssueTokenInput {
  secret: string
  userId: string
  roles: Role[]
  jti: string
  now: Date
  expiresIn: number
}

export function issueToken({ secret, userId, roles, jti, now, expiresIn }: IssueTokenInput): string {
  const iat = Math.floor(now.getTime() / 1000)
  return jwt.sign({ sub: userId, roles, jti, iat, exp: iat + expiresIn }, keyOf(secret), { algorithm: ALGORITHM, issuer: ISSUER })
}

/** Throws when the signature, algorithm, issuer or expiry is wrong or a claim is missing. */
export function verifyToken(token: string, secret: string, now: Date): TokenClaims {
  const payload = jwt.verify(token, keyOf(secret), {
    algorithms: [ALGORITHM],
    issuer: ISSUER,
    clockTimestamp: Math.floor(now.getTime() / 1000),
  })
  if (typeof payload === 'string' || !payload.sub || !payload.jti || !payload.exp || !Array.isArray(payload.roles)) {
    throw new jwt.JsonWebTokenError('token claims are incomplete')
  }
  return { userId: payload.sub, roles: payload.roles as Role[], jti: payload.jti, exp: payload.exp }
}
