/**
 * Secrets that name their product, shown once to the owner who asked for them: claim codes and ownership proofs,
 * `{productId}_{secret}`, so that using one finds its product stream; only the SHA-256 of the whole token is stored.
 */
import { createHash, randomBytes } from 'node:crypto'
import { childId } from '../domain/ids.ts'

export const CLAIM_CODE_DAYS = 7

export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex')

// Hex, because the secret must not contain the `_` that separates it from the product id.
export const newProductToken = (productId: string): string => childId(productId, randomBytes(24).toString('hex'))
