/**
 * The events a webhook may subscribe to: a name per product event worth telling a brand's or a partner's
 * system, and `product.*` / `lifecycle.*` for every name of its family.
 */

/** The webhook event name of each product event that webhooks carry. */
const NAMES = {
  ProductCreated: 'product.created',
  OwnershipTransferred: 'product.transferred',
  ProductListed: 'product.listed',
  ProductSold: 'product.sold',
  AlertRaised: 'product.alert',
  AlertCleared: 'product.alert_cleared',
  ScanAnomalyDetected: 'product.scan_anomaly',
  PassportDataUpdated: 'product.passport_data_updated',
  LifecycleRecorded: 'lifecycle.recorded',
  LifecycleAccepted: 'lifecycle.accepted',
  LifecycleRefused: 'lifecycle.refused',
} as const satisfies Record<string, `${string}.${string}`>

export type WebhookEventName = (typeof NAMES)[keyof typeof NAMES]

export const WILDCARDS = ['product.*', 'lifecycle.*'] as const

/** What a webhook may list in `events`. */
export const SUBSCRIBABLE: readonly string[] = [...Object.values(NAMES), ...WILDCARDS]

/** The webhook event name of a product event, or null for one that webhooks do not carry. */
export const webhookEventOf = (eventType: string): WebhookEventName | null => (NAMES as Record<string, WebhookEventName>)[eventType] ?? null

/** Whether a webhook subscribed to `subscribed` receives events named `name`. */
export const subscribes = (subscribed: readonly string[], name: WebhookEventName): boolean =>
  subscribed.some(each => each === name || (each.endsWith('.*') && name.startsWith(each.slice(0, -1))))
