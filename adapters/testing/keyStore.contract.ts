import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import type { KeyStore } from '../ports.ts'

/** What every KeyStore must do. Each call of `open` opens the same stored keys, so keys must survive a reopen. */
export const keyStoreContract = (t: Test, open: () => Promise<KeyStore>): void => {
  const subject = () => `subject-${randomUUID()}`
  let keys: KeyStore
  t.before(async () => {
    keys = await open()
  })
  t.teardown(() => keys.close())

  t.test('a key is made on first use, 32 bytes, and then stays the same', async t => {
    const s = subject()
    t.equal(await keys.find(s), null)
    const key = await keys.keyFor(s)
    t.equal(key.length, 32)
    t.same(await keys.keyFor(s), key)
    t.same(await keys.find(s), key)
    t.notSame(await keys.keyFor(subject()), key, 'subjects do not share keys')
  })

  t.test('concurrent first uses agree on one key', async t => {
    const s = subject()
    const all = await Promise.all(Array.from({ length: 8 }, () => keys.keyFor(s)))
    for (const key of all) t.same(key, all[0])
  })

  t.test('deleting erases the key for good', async t => {
    const s = subject()
    const key = await keys.keyFor(s)
    await keys.delete(s)
    t.equal(await keys.find(s), null)
    t.notSame(await keys.keyFor(s), key, 'a later key is a new one')
    await keys.delete(subject())
    t.pass('deleting an unknown subject is fine')
  })

  t.test('keys survive a reopen', async t => {
    const s = subject()
    const key = await keys.keyFor(s)
    const again = await open()
    t.teardown(() => again.close())
    t.same(await again.find(s), key)
  })
}
