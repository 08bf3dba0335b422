import { randomUUID } from 'node:crypto'
import { MongoClient } from 'mongodb'
import t from 'tap'
import { keyStoreContract } from '../testing/keyStore.contract.ts'
import { serverSettings } from '../testing/servers.ts'
import { MongoKeyStore } from './mongoKeyStore.ts'

const settings = serverSettings(t, ['MONGODB_URL'])
if (settings) {
  // A database of its own, dropped at the end, so runs leave no keys behind on a shared server.
  const url = new URL(settings.MONGODB_URL)
  url.pathname = `/ptvem_test_${randomUUID().slice(0, 8)}`
  keyStoreContract(t, () => MongoKeyStore.connect(url.href))
  t.teardown(async () => {
    const client = await MongoClient.connect(url.href)
    await client.db().dropDatabase()
    await client.close()
  })
}
