import { randomBytes } from 'node:crypto'
import { Binary, MongoClient, MongoServerError, type Collection } from 'mongodb'
import type { KeyStore } from '../ports.ts'

const KEY_BYTES = 32
const DUPLICATE_KEY = 11000

interface SubjectKey {
  _id: string
  key: Binary
}

/**
 * Per-subject keys in MongoDB, shared by every API node. A key is created by an upsert that only inserts:
 * of two nodes creating the same subject's key at once, one insert wins and both read that key back.
 */
export class MongoKeyStore implements KeyStore {
  private constructor(
    private readonly client: MongoClient,
    private readonly keys: Collection<SubjectKey>,
  ) {}

  /** `url` names the database (`mongodb://host/ptvem`). Resolves once the server answers. */
  static async connect(url: string): Promise<MongoKeyStore> {
    const client = await MongoClient.connect(url)
    return new MongoKeyStore(client, client.db().collection<SubjectKey>('subject_keys'))
  }

  async keyFor(subjectId: string): Promise<Buffer> {
    try {
      await this.keys.updateOne({ _id: subjectId }, { $setOnInsert: { key: new Binary(randomBytes(KEY_BYTES)) } }, { upsert: true })
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error
    }
    return (await this.find(subjectId))!
  }

  async find(subjectId: string): Promise<Buffer | null> {
    const stored = await this.keys.findOne({ _id: subjectId })
    return stored && Buffer.from(stored.key.value())
  }

  async delete(subjectId: string): Promise<void> {
    await this.keys.deleteOne({ _id: subjectId })
  }

  async close(): Promise<void> {
    await this.client.close()
  }
}
