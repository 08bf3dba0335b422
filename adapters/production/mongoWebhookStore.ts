import { MongoClient, MongoServerError, type Collection } from 'mongodb'
import type { Delivery, DeliveryOutcome, Webhook, WebhookStore } from '../ports.ts'

type WebhookDoc = Omit<Webhook, 'webhookId'> & { _id: string; deletedAt: string | null }
type DeliveryDoc = Omit<Delivery, 'deliveryId'> & { _id: string }

const webhookOf = ({ _id, deletedAt: _deleted, ...webhook }: WebhookDoc): Webhook => ({ webhookId: _id, ...webhook })
const deliveryOf = ({ _id, ...delivery }: DeliveryDoc): Delivery => ({ deliveryId: _id, ...delivery })
const ACTIVE = { deletedAt: null }
const DUPLICATE_KEY = 11000

/**
 * Webhooks and their deliveries in MongoDB, shared by every process. Collections of their own, which a read-model
 * rebuild does not touch. Deliveries are written one command each (an event has a few), each result checked:
 * FerretDB reports a duplicate in a bulk write alone, not which of the others landed.
 */
export class MongoWebhookStore implements WebhookStore {
  private constructor(
    private readonly client: MongoClient,
    private readonly webhooks: Collection<WebhookDoc>,
    private readonly deliveries: Collection<DeliveryDoc>,
  ) {}

  /** `url` names the database (`mongodb://host/ptvem`). Resolves once the server answers and the indexes exist. */
  static async connect(url: string): Promise<MongoWebhookStore> {
    const client = await MongoClient.connect(url)
    const webhooks = client.db().collection<WebhookDoc>('webhooks')
    const deliveries = client.db().collection<DeliveryDoc>('webhook_deliveries')
    await webhooks.createIndex({ ownerId: 1, createdAt: 1 })
    await deliveries.createIndex({ webhookId: 1, position: -1 })
    await deliveries.createIndex({ status: 1, nextAttemptAt: 1 })
    return new MongoWebhookStore(client, webhooks, deliveries)
  }

  async addWebhook({ webhookId, ...webhook }: Webhook): Promise<void> {
    await this.webhooks.insertOne({ _id: webhookId, ...webhook, deletedAt: null })
  }

  async webhookById(webhookId: string): Promise<Webhook | null> {
    const doc = await this.webhooks.findOne({ _id: webhookId, ...ACTIVE })
    return doc && webhookOf(doc)
  }

  async webhooksOf(ownerId: string): Promise<Webhook[]> {
    return (await this.webhooks.find({ ownerId, ...ACTIVE }).sort({ createdAt: 1, _id: 1 }).toArray()).map(webhookOf)
  }

  async webhooksOfAny(ownerIds: readonly string[]): Promise<Webhook[]> {
    if (ownerIds.length === 0) return []
    return (await this.webhooks.find({ ownerId: { $in: [...ownerIds] }, ...ACTIVE }).toArray()).map(webhookOf)
  }

  async deleteWebhook(webhookId: string, at: string): Promise<boolean> {
    return (await this.webhooks.updateOne({ _id: webhookId, ...ACTIVE }, { $set: { deletedAt: at } })).modifiedCount === 1
  }

  async enqueue(deliveries: readonly Delivery[]): Promise<void> {
    for (const { deliveryId, ...delivery } of deliveries) {
      try {
        const { acknowledged } = await this.deliveries.insertOne({ _id: deliveryId, ...delivery })
        if (!acknowledged) throw new Error(`the delivery ${deliveryId} was not acknowledged`)
      } catch (error) {
        if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error
      }
    }
  }

  /** One at a time: each claim is a findOneAndUpdate, so two dispatchers never take the same delivery. */
  async claimDue(now: string, leaseUntil: string, limit: number): Promise<Delivery[]> {
    const claimed: Delivery[] = []
    while (claimed.length < limit) {
      const doc = await this.deliveries.findOneAndUpdate(
        { status: 'retrying', nextAttemptAt: { $lte: now } },
        { $set: { nextAttemptAt: leaseUntil } },
        { sort: { nextAttemptAt: 1, position: 1 }, returnDocument: 'after' },
      )
      if (!doc) break
      claimed.push(deliveryOf(doc))
    }
    return claimed.sort((a, b) => a.position - b.position)
  }

  async recordOutcome(deliveryId: string, outcome: DeliveryOutcome): Promise<void> {
    const { matchedCount } = await this.deliveries.updateOne({ _id: deliveryId }, { $set: outcome })
    if (matchedCount !== 1) throw new Error(`no delivery ${deliveryId} to record an outcome on`)
  }

  async deliveriesOf(webhookId: string, { limit, cursor }: { limit: number; cursor?: string }) {
    const before = cursor === undefined ? {} : { position: { $lt: Number.parseInt(cursor, 10) || 0 } }
    const docs = await this.deliveries.find({ webhookId, ...before }).sort({ position: -1 }).limit(limit + 1).toArray()
    const page = docs.slice(0, limit)
    return { items: page.map(deliveryOf), nextCursor: docs.length > limit ? String(page.at(-1)!.position) : null }
  }

  async close(): Promise<void> {
    await this.client.close()
  }
}
