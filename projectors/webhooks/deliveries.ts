/**
 * The deliveries one event makes: one for each webhook of the product's audience (its brand, its partners) that
 * subscribed to the event's name and was registered before it. A delivery's id comes from the webhook and the event,
 * so the same event seen again makes the same deliveries, which the store keeps as they are.
 */
import { createHash } from 'node:crypto'
import type { Delivery, WebhookStore } from '../../adapters/ports.ts'
import { audienceOf } from '../../domain/webhook/audience.ts'
import { subscribes, webhookEventOf } from '../../domain/webhook/events.ts'
import type { EventLog, RecordedEvent } from '../../eventlog/port.ts'
import { loadStream, StreamCache } from '../../shared/streamCache.ts'
import { productDecider } from '../../domain/product/index.ts'

const PRODUCT_STREAM = 'product-'

export const deliveryIdOf = (webhookId: string, eventId: string): string =>
  `msg_${createHash('sha256').update(`${webhookId}/${eventId}`).digest('base64url').slice(0, 27)}`

export interface DeliverySources {
  eventLog: EventLog
  webhooks: WebhookStore
  /** The products as folded for the events before, in log order: the next event's fold reads only what came since. */
  products: StreamCache
}

/** `event` as published (its secrets and personal data taken out); `eventLog` to fold its product as it was then; due `now`. */
export async function deliveriesOf(event: RecordedEvent, now: Date, { eventLog, webhooks, products }: DeliverySources): Promise<Delivery[]> {
  const name = webhookEventOf(event.type)
  if (name === null || !event.streamId.startsWith(PRODUCT_STREAM)) return []
  const { state: product } = await loadStream(eventLog, event.streamId, productDecider, products, { atRevision: event.revision })
  const subscribed = (await webhooks.webhooksOfAny(audienceOf(product))).filter(webhook => webhook.after < event.position && subscribes(webhook.events, name))
  const payload = JSON.stringify({ type: name, timestamp: event.metadata.occurredAt, data: event.data })
  const due = now.toISOString()
  return subscribed.map(({ webhookId }) => ({
    deliveryId: deliveryIdOf(webhookId, event.metadata.eventId),
    webhookId,
    eventType: name,
    position: event.position,
    payload,
    status: 'retrying',
    attempts: 0,
    lastStatusCode: null,
    nextAttemptAt: due,
    createdAt: due,
  }))
}
