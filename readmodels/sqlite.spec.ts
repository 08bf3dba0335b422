import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { readModelContract } from './contract.ts'
import { SqliteReadModelStore } from './sqlite.ts'
import { ThreadedWriter } from './threadedWriter.ts'

readModelContract(t, 'sqlite', async () => new SqliteReadModelStore(':memory:'))

const dir = mkdtempSync(join(tmpdir(), 'ptvem-readmodels-'))
t.teardown(() => rmSync(dir, { recursive: true, force: true }))
let files = 0
const newFile = () => join(dir, `readmodels-${files++}.sqlite`)

readModelContract(t, 'sqlite file, every batch written on the thread', async () => new SqliteReadModelStore(newFile(), { threadFrom: 0 }))

const doc = (id: string, position: number) => ({ collection: 'c', id, position, doc: { id, position } })

t.test('a batch the writer thread refuses rejects its write alone; the writes after it land', async t => {
  const store = new SqliteReadModelStore(newFile(), { threadFrom: 0 })
  t.teardown(() => store.close())
  const refused = store.write({ documents: [{ ...doc('a', 1), collection: 'Not A Name' }], checkpoints: new Map() })
  const next = store.write({ documents: [doc('b', 2)], checkpoints: new Map([['p', 2]]) })
  await t.rejects(refused, /invalid collection name/)
  await next
  t.strictSame(await store.get('c', 'b'), { id: 'b', position: 2 })
  t.equal(await store.getCheckpoint('p'), 2)
})

t.test('a small batch is written at once, unless writes are queued on the thread: it then lands after them', async t => {
  const store = new SqliteReadModelStore(newFile(), { threadFrom: 2 })
  t.teardown(() => store.close())
  const large = store.write({ documents: [doc('a', 1), doc('b', 1)], checkpoints: new Map([['p', 1]]) })
  const small = store.write({ documents: [doc('a', 2)], checkpoints: new Map([['p', 2]]) })
  t.equal(await store.get('c', 'a'), null, 'neither written yet')
  await Promise.all([large, small])
  t.strictSame(await store.get('c', 'a'), { id: 'a', position: 2 })
  t.equal(await store.getCheckpoint('p'), 2, 'in the order given')
  const alone = store.write({ documents: [doc('c', 3)], checkpoints: new Map() })
  t.strictSame(await store.get('c', 'c'), { id: 'c', position: 3 }, 'written before its promise is awaited')
  await alone
})

t.test('a writer thread that cannot open its file rejects the writes handed to it, and so does the next one', async t => {
  const writer = new ThreadedWriter(dir)
  await t.rejects(writer.write({ documents: [doc('a', 1)], checkpoints: new Map() }))
  await t.rejects(writer.write({ documents: [doc('a', 1)], checkpoints: new Map() }))
  await writer.close()
})
