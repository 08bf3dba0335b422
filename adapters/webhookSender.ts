/**
 * One attempt at a webhook delivery, as the Standard Webhooks specification has it: a JSON POST signed by the
 * `standardwebhooks` library, with `webhook-id`, `webhook-timestamp` (this attempt's) and `webhook-signature`.
 * Redirects are not followed, and unless private addresses are allowed the connection goes to public addresses only.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { isIP } from 'node:net'
import { Webhook } from 'standardwebhooks'
import { hostOf, isPublicAddress, publicLookup } from './publicAddress.ts'

export interface WebhookAttempt {
  url: string
  secret: string
  /** The `webhook-id`, the same on every attempt. */
  deliveryId: string
  payload: string
  at: Date
}

export interface SenderOptions {
  timeoutMs: number
  allowPrivate: boolean
}

export const signedHeaders = ({ secret, deliveryId, payload, at }: Omit<WebhookAttempt, 'url'>): Record<string, string> => ({
  'content-type': 'application/json',
  'webhook-id': deliveryId,
  'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
  'webhook-signature': new Webhook(secret).sign(deliveryId, at, payload),
})

/** The receiver's status code, or null when none came: refused, timed out, or an address not allowed. */
export async function sendWebhook(attempt: WebhookAttempt, { timeoutMs, allowPrivate }: SenderOptions): Promise<number | null> {
  const url = new URL(attempt.url)
  const host = hostOf(url)
  if (!allowPrivate && isIP(host) && !isPublicAddress(host)) return null
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise(resolve => {
    const sent = request(
      url,
      {
        method: 'POST',
        headers: { ...signedHeaders(attempt), 'user-agent': 'ptvem-webhooks' },
        signal: AbortSignal.timeout(timeoutMs),
        ...(!allowPrivate && { lookup: publicLookup }),
      },
      (response: IncomingMessage) => {
        resolve(response.statusCode ?? null)
        response.destroy()
      },
    )
    sent.on('error', () => resolve(null))
    sent.end(attempt.payload)
  })
}
