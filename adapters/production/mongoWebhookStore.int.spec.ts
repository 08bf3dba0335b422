import t from 'tap'
import { webhookStoreContract } from '../testing/webhookStore.contract.ts'
import { ownMongoDatabase, serverSettings } from '../testing/servers.ts'
import { MongoWebhookStore } from './mongoWebhookStore.ts'

const settings = serverSettings(t, ['MONGODB_URL'])
if (settings) {
  const url = ownMongoDatabase(t, settings.MONGODB_URL, 'ptvem_test_webhooks')
  webhookStoreContract(t, () => MongoWebhookStore.connect(url))
}
