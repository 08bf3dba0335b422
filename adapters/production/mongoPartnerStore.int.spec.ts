import t from 'tap'
import { partnerStoreContract } from '../testing/partnerStore.contract.ts'
import { ownMongoDatabase, serverSettings } from '../testing/servers.ts'
import { MongoPartnerStore } from './mongoPartnerStore.ts'

const settings = serverSettings(t, ['MONGODB_URL'])
if (settings) {
  const url = ownMongoDatabase(t, settings.MONGODB_URL, 'ptvem_test_partners')
  partnerStoreContract(t, () => MongoPartnerStore.connect(url))
}
