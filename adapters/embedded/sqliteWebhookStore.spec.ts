import t from 'tap'
import { webhookStoreContract } from '../testing/webhookStore.contract.ts'
import { SqliteWebhookStore } from './sqliteWebhookStore.ts'

const path = `${t.testdir()}/webhooks.sqlite`
webhookStoreContract(t, async () => new SqliteWebhookStore(path))
