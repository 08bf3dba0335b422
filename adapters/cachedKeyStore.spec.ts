import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { cachedKeyStore } from './cachedKeyStore.ts'
import { keyStoreContract } from './testing/keyStore.contract.ts'
import { SqliteKeyStore } from './embedded/sqliteKeyStore.ts'

const path = `${t.testdir()}/keys.db`
keyStoreContract(t, async () => cachedKeyStore(new SqliteKeyStore(path)))

t.test('a key erased behind the cache stays readable only until its ttl', async t => {
  const store = new SqliteKeyStore(`${t.testdir()}/behind.db`)
  const keys = cachedKeyStore(store, { ttlMs: 50 })
  t.teardown(() => keys.close())
  const key = await keys.keyFor('alice')
  await store.delete('alice')
  t.same(await keys.find('alice'), key, 'still cached')
  await sleep(80)
  t.equal(await keys.find('alice'), null)
})
