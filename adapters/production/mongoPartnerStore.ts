import { MongoClient, ObjectId, type Collection } from 'mongodb'
import type { AccessLog, ApiKeyStore, PassportAccess, StoredApiKey } from '../ports.ts'

type KeyDoc = Omit<StoredApiKey, 'keyId'> & { _id: string; revokedAt: string | null }
type AccessDoc = PassportAccess & { _id: ObjectId }

const keyOf = ({ _id, revokedAt: _revoked, ...key }: KeyDoc): StoredApiKey => ({ keyId: _id, ...key })
const accessOf = ({ _id, ...access }: AccessDoc): PassportAccess => access
const ACTIVE = { revokedAt: null }

/**
 * Partners' API keys and the passport access log in MongoDB, shared by every API node. Collections of their own,
 * which a read-model rebuild does not touch.
 */
export class MongoPartnerStore implements ApiKeyStore, AccessLog {
  private constructor(
    private readonly client: MongoClient,
    private readonly keys: Collection<KeyDoc>,
    private readonly accesses: Collection<AccessDoc>,
  ) {}

  /** `url` names the database (`mongodb://host/ptvem`). Resolves once the server answers and the indexes exist. */
  static async connect(url: string): Promise<MongoPartnerStore> {
    const client = await MongoClient.connect(url)
    const keys = client.db().collection<KeyDoc>('api_keys')
    const accesses = client.db().collection<AccessDoc>('passport_access')
    await keys.createIndex({ hash: 1 }, { unique: true })
    await keys.createIndex({ ownerId: 1, createdAt: 1 })
    await accesses.createIndex({ productId: 1, _id: -1 })
    return new MongoPartnerStore(client, keys, accesses)
  }

  async addKey({ keyId, ...key }: StoredApiKey): Promise<void> {
    await this.keys.insertOne({ _id: keyId, ...key, revokedAt: null })
  }

  async keyByHash(hash: string): Promise<StoredApiKey | null> {
    const doc = await this.keys.findOne({ hash, ...ACTIVE })
    return doc && keyOf(doc)
  }

  async keyById(keyId: string): Promise<StoredApiKey | null> {
    const doc = await this.keys.findOne({ _id: keyId, ...ACTIVE })
    return doc && keyOf(doc)
  }

  async keysOf(ownerId: string): Promise<StoredApiKey[]> {
    return (await this.keys.find({ ownerId, ...ACTIVE }).sort({ createdAt: 1, _id: 1 }).toArray()).map(keyOf)
  }

  async revokeKey(keyId: string, at: string): Promise<boolean> {
    return (await this.keys.updateOne({ _id: keyId, ...ACTIVE }, { $set: { revokedAt: at } })).modifiedCount === 1
  }

  async noteKeyUse(keyId: string, at: string): Promise<void> {
    await this.keys.updateOne({ _id: keyId, $or: [{ lastUsedAt: null }, { lastUsedAt: { $lt: at } }] }, { $set: { lastUsedAt: at } })
  }

  async recordAccess(access: PassportAccess): Promise<void> {
    await this.accesses.insertOne({ _id: new ObjectId(), ...access })
  }

  async accessesOf(productId: string, { limit, cursor }: { limit: number; cursor?: string }) {
    const before = cursor !== undefined && ObjectId.isValid(cursor) ? { _id: { $lt: new ObjectId(cursor) } } : {}
    const docs = await this.accesses.find({ productId, ...before }).sort({ _id: -1 }).limit(limit + 1).toArray()
    const page = docs.slice(0, limit)
    return { items: page.map(accessOf), nextCursor: docs.length > limit ? page.at(-1)!._id.toHexString() : null }
  }

  async close(): Promise<void> {
    await this.client.close()
  }
}
