/** What the webhook routes of both sides share: who may hold webhooks, and the caller's own webhook. */
import type { Webhook, WebhookStore } from '../adapters/ports.ts'
import { requireRole } from '../http/auth.ts'
import { HttpProblem } from '../http/problem.ts'

/** Brands and partners, by token or by a key with the `webhooks` scope (`config: { apiKeyScope: 'webhooks' }`). */
export const webhookHolder = requireRole('brand', 'repairer', 'reseller', 'recycler', 'authority')

/** The webhook, when the caller owns it: 404 when there is none, 403 when it is someone else's. */
export async function ownWebhook(webhooks: WebhookStore, webhookId: string, userId: string): Promise<Webhook> {
  const webhook = await webhooks.webhookById(webhookId)
  if (!webhook) throw new HttpProblem(404, 'Not Found', 'webhook not found')
  if (webhook.ownerId !== userId) throw new HttpProblem(403, 'Forbidden', 'only its owner can see or delete a webhook')
  return webhook
}
