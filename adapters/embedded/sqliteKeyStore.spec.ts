import { readFileSync } from 'node:fs'
import t from 'tap'
import { keyStoreContract } from '../testing/keyStore.contract.ts'
import { SqliteKeyStore } from './sqliteKeyStore.ts'

const path = `${t.testdir()}/keys.db`
keyStoreContract(t, async () => new SqliteKeyStore(path))

t.test('an erased key leaves no copy in the file', async t => {
  const file = `${t.testdir()}/erase.db`
  const keys = new SqliteKeyStore(file)
  const key = await keys.keyFor('alice')
  await keys.delete('alice')
  await keys.close()
  t.equal(readFileSync(file).indexOf(key), -1)
})
