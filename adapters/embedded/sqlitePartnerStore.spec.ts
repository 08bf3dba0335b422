import t from 'tap'
import { partnerStoreContract } from '../testing/partnerStore.contract.ts'
import { SqlitePartnerStore } from './sqlitePartnerStore.ts'

const path = `${t.testdir()}/partners.sqlite`
partnerStoreContract(t, async () => new SqlitePartnerStore(path))
