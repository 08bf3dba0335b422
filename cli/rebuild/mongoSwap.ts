/**
 * CollectionSwap on the MongoDB read models: each shadow collection is renamed onto its live name, then the
 * shadow checkpoints are copied onto the live ones. It knows the store's naming (`rm_{collection}`, a
 * `projection_checkpoints` collection): like sqliteSwap.ts, it belongs in readmodels/mongo.ts as the store's
 * own `swap`, and lives here until the port has one.
 *
 * NOT ATOMIC, unlike the SQLite swap: the store has no transactions (FerretDB has none at all), so the swap
 * goes collection by collection, and `ready` holds no lock. What a reader (the API) can see meanwhile:
 * - between two collections' renames, the collections already swapped hold the rebuilt documents and the
 *   others still the old ones: a read joining two collections may mix both models;
 * - where the server refuses `dropTarget` (FerretDB 1.x answers NotImplemented), the live collection is first
 *   renamed aside (`{name}__old`) and the shadow then renamed in: between those two commands the collection
 *   does not exist, and a reader finds it empty (get answers null, find an empty page);
 * - the live checkpoints move last, so for a moment a rebuilt collection sits under its old checkpoint (the
 *   documents carry their own positions, so a projection replaying from it changes nothing);
 * - an API's projections keep writing while the swap runs: an event appended after `ready` looked at the head
 *   and applied by them to a live collection before its rename is lost from that collection (the API's
 *   projector has moved past it). The window is the few round trips of the swap; another rebuild repairs it.
 */
import { MongoClient, MongoServerError, type Db } from 'mongodb'
import type { CollectionSwap, Replacement } from './swap.ts'

const collectionName = (collection: string) => `rm_${collection}`
const CHECKPOINTS = 'projection_checkpoints'

const NAMESPACE_NOT_FOUND = 26
const NAMESPACE_EXISTS = 48
const NOT_IMPLEMENTED = 238
/** Renames of the shadow that meet a live collection recreated meanwhile by an API's projection write. */
const RENAME_ATTEMPTS = 5

const hasCode = (error: unknown, code: number) => error instanceof MongoServerError && error.code === code

interface CheckpointDoc {
  _id: string
  position: number
}

export class MongoCollectionSwap implements CollectionSwap {
  /** Cleared once the server refuses `dropTarget`: the two-step rename from then on. */
  private dropTarget = true

  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
  ) {}

  /** `url` names the read models' database, as for MongoReadModelStore.connect. */
  static async connect(url: string): Promise<MongoCollectionSwap> {
    const client = await MongoClient.connect(url)
    return new MongoCollectionSwap(client, client.db())
  }

  async swap({ collections, checkpoints }: Replacement, ready: () => Promise<boolean>): Promise<boolean> {
    if (!(await ready())) return false
    for (const [live, shadow] of Object.entries(collections)) await this.replaceCollection(collectionName(live), collectionName(shadow))
    for (const [live, shadow] of Object.entries(checkpoints)) await this.replaceCheckpoint(live, shadow)
    return true
  }

  async close(): Promise<void> {
    await this.client.close()
  }

  private async replaceCollection(live: string, shadow: string): Promise<void> {
    const liveIndexes = await this.indexKeys(live)
    if (!(await this.exists(shadow))) {
      // Nothing was ever written to the shadow (no document, no index): the rebuilt collection is empty.
      await this.db.collection(live).deleteMany({})
    } else {
      await this.rename(live, shadow)
    }
    // A rename carries the shadow's indexes (MongoDB and FerretDB both); any live one the shadow lacked is recreated.
    const kept = new Set((await this.indexKeys(live)).map(key => JSON.stringify(key)))
    for (const key of liveIndexes) if (!kept.has(JSON.stringify(key))) await this.db.collection(live).createIndex(key)
  }

  private async rename(live: string, shadow: string): Promise<void> {
    if (this.dropTarget) {
      try {
        await this.db.renameCollection(shadow, live, { dropTarget: true })
        return
      } catch (error) {
        if (!hasCode(error, NOT_IMPLEMENTED)) throw error
        this.dropTarget = false
      }
    }
    const aside = `${live}__old`
    await this.dropIfExists(aside)
    try {
      await this.db.renameCollection(live, aside)
    } catch (error) {
      if (!hasCode(error, NAMESPACE_NOT_FOUND)) throw error
    }
    for (let attempt = 1; ; attempt++) {
      try {
        await this.db.renameCollection(shadow, live)
        break
      } catch (error) {
        // An API's projection wrote to the live name in between, creating it again: with events the shadow has.
        if (!hasCode(error, NAMESPACE_EXISTS) || attempt >= RENAME_ATTEMPTS) throw error
        await this.dropIfExists(live)
      }
    }
    await this.dropIfExists(aside)
  }

  private async replaceCheckpoint(live: string, shadow: string): Promise<void> {
    const checkpoints = this.db.collection<CheckpointDoc>(CHECKPOINTS)
    const position = (await checkpoints.findOne({ _id: shadow }))?.position ?? 0
    await checkpoints.updateOne({ _id: live }, { $set: { position } }, { upsert: true })
    await checkpoints.deleteOne({ _id: shadow })
  }

  private async exists(name: string): Promise<boolean> {
    return (await this.db.listCollections({ name }, { nameOnly: true }).toArray()).length > 0
  }

  private async dropIfExists(name: string): Promise<void> {
    if (await this.exists(name)) await this.db.collection(name).drop()
  }

  /** The key of every index but _id's, which every collection has. */
  private async indexKeys(name: string): Promise<Record<string, 1 | -1>[]> {
    if (!(await this.exists(name))) return []
    const indexes = await this.db.collection(name).indexes()
    return indexes.filter(({ name }) => name !== '_id_').map(({ key }) => key as Record<string, 1 | -1>)
  }
}
