/**
 * Signed QR codes: `{productId}.{nonce}.{signature}`, where the signature is a truncated HMAC-SHA256 over
 * the product id and the nonce. Any server holding the secret verifies a code offline, with no look-up.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { digitalLinkPath } from '../domain/product/gtin.ts'

export interface QrCodesOptions {
  secret: string
  /** Without a trailing slash. */
  publicBaseUrl: string
}

export interface QrIssue {
  productId: string
  gtin?: string
  serialNumber: string
  nonce: string
}

export interface QrCodes {
  issue(request: QrIssue): { qrCode: string; qrUrl: string }
  verify(qrCode: string): { productId: string } | null
}

const SEPARATOR = '.'
const PART = /^[A-Za-z0-9_-]{1,64}$/
const SIGNATURE_BYTES = 16
// The same secret also keys other hashes (e.g. emails); the label keeps a QR signature from meaning anything else.
const LABEL = 'ptvem/qr/v1'

export const createQrCodes = ({ secret, publicBaseUrl }: QrCodesOptions): QrCodes => {
  const sign = (productId: string, nonce: string): Buffer =>
    createHmac('sha256', secret).update(`${LABEL}\n${productId}\n${nonce}`).digest().subarray(0, SIGNATURE_BYTES)

  const urlFor = (qrCode: string, gtin: string | undefined, serialNumber: string): string =>
    gtin === undefined
      ? `${publicBaseUrl}/p/${qrCode}`
      : `${publicBaseUrl}${digitalLinkPath(gtin, serialNumber)}?q=${qrCode}`

  return {
    issue({ productId, gtin, serialNumber, nonce }) {
      if (!PART.test(productId) || !PART.test(nonce)) throw new Error('productId and nonce must be 1-64 URL-safe characters')
      if (gtin !== undefined && !/^\d{8,14}$/.test(gtin)) throw new Error('gtin must be 8 to 14 digits')
      const qrCode = [productId, nonce, sign(productId, nonce).toString('base64url')].join(SEPARATOR)
      return { qrCode, qrUrl: urlFor(qrCode, gtin, serialNumber) }
    },

    verify(qrCode) {
      const [productId, nonce, signature, ...rest] = qrCode.split(SEPARATOR)
      if (productId === undefined || nonce === undefined || signature === undefined || rest.length > 0) return null
      if (!PART.test(productId) || !PART.test(nonce)) return null
      const given = Buffer.from(signature, 'base64url')
      // Round-tripping rejects non-canonical spellings, so one code has exactly one valid string form.
      if (given.length !== SIGNATURE_BYTES || given.toString('base64url') !== signature) return null
      return timingSafeEqual(given, sign(productId, nonce)) ? { productId } : null
    },
  }
}

/** The product a code names, before any check of its signature: a key to look up, never a proof. */
export const namedProductId = (qrCode: string): string => qrCode.slice(0, Math.max(0, qrCode.indexOf(SEPARATOR)))

/** A deployment's codes: signed with its signing secret, under its public base URL. */
export const qrCodesFor = ({ signingSecret, publicBaseUrl }: { signingSecret: string; publicBaseUrl: string }): QrCodes =>
  createQrCodes({ secret: signingSecret, publicBaseUrl })
