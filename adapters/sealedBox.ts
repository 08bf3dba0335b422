/** AES-256-GCM envelopes bound to a context (additional authenticated data) and to the key that sealed them. */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'

export interface Sealed {
  alg: 'A256GCM'
  /** Whose key sealed it. */
  subject: string
  /** Fingerprint of that key: a key created after an erasure is told apart from the erased one. */
  kid: string
  iv: string
  /** Ciphertext followed by the 16-byte tag, base64url. */
  ciphertext: string
}

const IV_BYTES = 12
const TAG_BYTES = 16

export const keyId = (key: Buffer): string => createHash('sha256').update(key).digest().subarray(0, 8).toString('base64url')

export const seal = (plaintext: string, key: Buffer, subject: string, context: string): Sealed => {
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(context))
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()])
  return { alg: 'A256GCM', subject, kid: keyId(key), iv: iv.toString('base64url'), ciphertext: ciphertext.toString('base64url') }
}

/** Throws when the envelope, its context or its key do not match what was sealed. */
export const open = (sealed: Sealed, key: Buffer, context: string): string => {
  const iv = Buffer.from(sealed.iv, 'base64url')
  const data = Buffer.from(sealed.ciphertext, 'base64url')
  if (iv.length !== IV_BYTES || data.length < TAG_BYTES) throw new Error('malformed envelope')
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES })
    .setAAD(Buffer.from(context))
    .setAuthTag(data.subarray(-TAG_BYTES))
  return Buffer.concat([decipher.update(data.subarray(0, -TAG_BYTES)), decipher.final()]).toString('utf8')
}

export const isSealed = (value: unknown): value is Sealed => {
  const v = value as Partial<Sealed> | null
  return (
    typeof v === 'object' &&
    v !== null &&
    v.alg === 'A256GCM' &&
    [v.subject, v.kid, v.iv, v.ciphertext].every(field => typeof field === 'string')
  )
}
