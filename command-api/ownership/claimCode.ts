/**
 * One-time claim codes: `{productId}_{secret}`, so a claim finds its product stream; only the SHA-256 of
 * the whole code is stored, and the code is shown once to the owner who asked for it.
 */
import { createHash, randomBytes } from 'node:crypto'
import { childId } from '../../domain/ids.ts'

export const CLAIM_CODE_DAYS = 7

export const claimCodeHash = (claimCode: string): string => createHash('sha256').update(claimCode).digest('hex')

// Hex, because the secret must not contain the `_` that separates it from the product id.
export const newClaimCode = (productId: string): string => childId(productId, randomBytes(24).toString('hex'))
