import t from 'tap'
import { keyStoreContract } from '../testing/keyStore.contract.ts'
import { ownMongoDatabase, serverSettings } from '../testing/servers.ts'
import { MongoKeyStore } from './mongoKeyStore.ts'

const settings = serverSettings(t, ['MONGODB_URL'])
if (settings) {
  const url = ownMongoDatabase(t, settings.MONGODB_URL, 'ptvem_test')
  keyStoreContract(t, () => MongoKeyStore.connect(url))
}
