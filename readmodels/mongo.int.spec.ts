import { randomUUID } from 'node:crypto'
import { MongoClient } from 'mongodb'
import t from 'tap'
import { serverSettings } from '../adapters/testing/servers.ts'
import { readModelContract } from './testing/readModelStore.contract.ts'
import { MongoReadModelStore } from './mongo.ts'

const settings = serverSettings(t, ['MONGODB_URL'])
if (settings) {
  // A database of its own, dropped at the end, so runs leave nothing behind on a shared server.
  const url = new URL(settings.MONGODB_URL)
  url.pathname = `/ptvem_test_${randomUUID().slice(0, 8)}`
  readModelContract(t, 'mongodb', () => MongoReadModelStore.connect(url.href))
  t.teardown(async () => {
    const client = await MongoClient.connect(url.href)
    await client.db().dropDatabase()
    await client.close()
  })
}
