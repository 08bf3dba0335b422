/**
 * The webhook dispatcher: takes the deliveries due from the store, a few at a time, attempts each once and records
 * how it went: delivered on a 2xx; otherwise tried again later (domain/webhook/retry.ts) or, a day on, failed.
 * Each claim leases the delivery to this dispatcher until after its attempt must have ended, so dispatchers in
 * several processes never attempt one delivery at once, and one that dies mid-attempt leaves it due again.
 */
import { EventEmitter, once } from 'node:events'
import type { Delivery, DeliveryOutcome, WebhookStore } from '../../adapters/ports.ts'
import { sendWebhook } from '../../adapters/webhookSender.ts'
import { nextAttemptAt } from '../../domain/webhook/retry.ts'

/** As app/context.ts's AppConfig has them. */
export interface WebhookSettings {
  allowPrivate: boolean
  timeoutMs: number
  concurrency: number
}

export interface DispatcherOptions {
  webhooks: WebhookStore
  settings: WebhookSettings
  clock: () => Date
  /** In [0, 1): the jitter of retry delays. */
  random?: () => number
  onError: (error: unknown) => void
  /** How often the store is asked for deliveries come due, when nothing wakes the dispatcher sooner. */
  pollMs?: number
}

const LEASE_MARGIN_MS = 30_000
const POLL_MS = 1_000

const isSuccess = (statusCode: number | null): boolean => statusCode !== null && statusCode >= 200 && statusCode < 300

export class WebhookDispatcher {
  readonly #options: DispatcherOptions
  readonly #wakeUps = new EventEmitter()
  readonly #stop = new AbortController()
  #running: Promise<void> | null = null

  constructor(options: DispatcherOptions) {
    this.#options = options
  }

  /** One round: claims what is due, up to the concurrency, attempts it all at once, records each outcome. Resolves with how many were attempted. */
  async dispatchDue(): Promise<number> {
    const { webhooks, settings, clock } = this.#options
    const now = clock()
    const leaseUntil = new Date(now.getTime() + settings.timeoutMs + LEASE_MARGIN_MS)
    const due = await webhooks.claimDue(now.toISOString(), leaseUntil.toISOString(), settings.concurrency)
    await Promise.all(due.map(delivery => this.#attempt(delivery)))
    return due.length
  }

  /** Dispatches until stopped: at once while deliveries are due, then on each wake-up or poll. */
  start(): void {
    this.#running ??= (async () => {
      const { settings, pollMs = POLL_MS, onError } = this.#options
      while (!this.#stop.signal.aborted) {
        const woken = once(this.#wakeUps, 'wake', { signal: AbortSignal.any([this.#stop.signal, AbortSignal.timeout(pollMs)]) }).catch(() => {})
        let attempted = 0
        try {
          attempted = await this.dispatchDue()
        } catch (error) {
          onError(error)
        }
        if (attempted < settings.concurrency) await woken
      }
    })()
  }

  /** New deliveries are due: dispatch without waiting for the next poll. */
  wake(): void {
    this.#wakeUps.emit('wake')
  }

  /** Resolves once the round under way has recorded its outcomes. */
  async stop(): Promise<void> {
    this.#stop.abort()
    await this.#running
  }

  async #attempt(delivery: Delivery): Promise<void> {
    const { webhooks, settings, clock, random = Math.random, onError } = this.#options
    try {
      const webhook = await webhooks.webhookById(delivery.webhookId)
      if (!webhook) {
        await webhooks.recordOutcome(delivery.deliveryId, { status: 'failed', attempts: delivery.attempts, lastStatusCode: delivery.lastStatusCode, nextAttemptAt: null })
        return
      }
      const statusCode = await sendWebhook({ url: webhook.url, secret: webhook.secret, deliveryId: delivery.deliveryId, payload: delivery.payload, at: clock() }, settings)
      await webhooks.recordOutcome(delivery.deliveryId, outcomeOf(delivery, statusCode, clock(), random()))
    } catch (error) {
      // Recorded nothing: the lease runs out and the delivery is due again.
      onError(error)
    }
  }
}

function outcomeOf(delivery: Delivery, statusCode: number | null, failedAt: Date, random: number): DeliveryOutcome {
  const attempts = delivery.attempts + 1
  if (isSuccess(statusCode)) return { status: 'delivered', attempts, lastStatusCode: statusCode, nextAttemptAt: null }
  const next = nextAttemptAt({ attempts, firstDueAt: new Date(delivery.createdAt), failedAt, random })
  return next ? { status: 'retrying', attempts, lastStatusCode: statusCode, nextAttemptAt: next.toISOString() } : { status: 'failed', attempts, lastStatusCode: statusCode, nextAttemptAt: null }
}
