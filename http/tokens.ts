/** Access tokens: HS256 JWTs with a jti, so one token can be revoked before it expires. */
import { createSecretKey, type KeyObject } from 'node:crypto'
import jwt from 'jsonwebtoken'
import { LRUCache } from 'lru-cache'
import type { Role } from '../domain/user/events.ts'

const ALGORITHM = 'HS256'
const ISSUER = 'ptvem'

/**
 * Given a string, jsonwebtoken tries to parse it as a public key on every call before treating it as a secret
 * (about 280 µs a token here); a secret KeyObject, made once per secret, skips that. With it, per secret, the
 * claims of the tokens it verified lately: a client sends the same token with every request, and its signature
 * cannot have changed since, so a token seen again is only checked for expiry.
 */
/** Tokens whose claims are kept per secret. */
const VERIFIED_TOKENS = 10_000

interface Signer {
  key: KeyObject
  verified: LRUCache<string, TokenClaims>
}
const signers = new Map<string, Signer>()
function signerOf(secret: string): Signer {
  let signer = signers.get(secret)
  if (!signer) signers.set(secret, (signer = { key: createSecretKey(Buffer.from(secret)), verified: new LRUCache({ max: VERIFIED_TOKENS }) }))
  return signer
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
  return jwt.sign({ sub: userId, roles, jti, iat, exp: iat + expiresIn }, signerOf(secret).key, { algorithm: ALGORITHM, issuer: ISSUER })
}

/** Throws when the signature, algorithm, issuer or expiry is wrong or a claim is missing. */
export function verifyToken(token: string, secret: string, now: Date): TokenClaims {
  const { key, verified } = signerOf(secret)
  const clockTimestamp = Math.floor(now.getTime() / 1000)
  const known = verified.get(token)
  // jsonwebtoken's own test: expired from the second of `exp` on.
  if (known && clockTimestamp < known.exp) return known
  const payload = jwt.verify(token, key, { algorithms: [ALGORITHM], issuer: ISSUER, clockTimestamp })
  if (typeof payload === 'string' || !payload.sub || !payload.jti || !payload.exp || !Array.isArray(payload.roles)) {
    throw new jwt.JsonWebTokenError('token claims are incomplete')
  }
  const claims = { userId: payload.sub, roles: payload.roles as Role[], jti: payload.jti, exp: payload.exp }
  verified.set(token, claims)
  return claims
}
