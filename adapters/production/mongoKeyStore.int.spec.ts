import t from 'tap'
import { keyStoreContract } from '../contracts/keyStore.contract.ts'
import { ownMongoDatabase, serverSettings } from '../contracts/servers.ts'
import { MongoKeyStore } from './mongoKeyStore.ts'

const settings = serverSettings(t, ['MONGODB_URL'])
if (settings) {
  const url = ownMongoDatabase(t, settings.MONGODB_URL, 'ptvem_test')
  keyStoreContract(t, () => MongoKeyStore.connect(url))
}
