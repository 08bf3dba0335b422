import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { readModelContract } from './testing/readModelStore.contract.ts'
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

t.test('setCheckpoint and drop come after the writes queued on the thread', async t => {
  const store = new SqliteReadModelStore(newFile(), { threadFrom: 0 })
  t.teardown(() => store.close())
  const queued = store.write({ documents: [doc('a', 1)], checkpoints: new Map([['p', 1]]) })
  await store.setCheckpoint('p', 0)
  await queued
  t.equal(await store.getCheckpoint('p'), 0, 'reset after the batch set it')
  void store.write({ documents: [doc('b', 2)], checkpoints: new Map() })
  await store.drop('c')
  t.equal(await store.get('c', 'b'), null, 'dropped after the batch wrote it')
})

t.test('a batch that fails in a collection it created leaves the collection writable', async t => {
  for (const threadFrom of [0, 16]) {
    const store = new SqliteReadModelStore(newFile(), { threadFrom })
    const fresh = (id: string, position: number) => ({ collection: 'fresh', id, position, doc: { id, position } })
    const refused = doc('x', null as unknown as number) // NOT NULL: fails inside the transaction
    await t.rejects(store.write({ documents: [fresh('a', 1), refused], checkpoints: new Map() }), /NOT NULL/)
    await store.write({ documents: [fresh('b', 2)], checkpoints: new Map() })
    t.strictSame(await store.get('fresh', 'b'), { id: 'b', position: 2 }, threadFrom === 0 ? 'on the thread' : 'on this connection')
    t.equal(await store.get('fresh', 'a'), null, 'the failed batch left nothing')
    await store.close()
  }
})

t.test('the WAL is copied into the database file by the checkpointer thread, not within the writes', async t => {
  const filename = newFile()
  const store = new SqliteReadModelStore(filename, { threadFrom: 0 })
  t.teardown(() => store.close())
  const text = 'x'.repeat(1000)
  const documents = Array.from({ length: 500 }, (_, i) => ({ collection: 'c', id: `d${i}`, position: 1, doc: { id: `d${i}`, position: 1, text } }))
  await store.write({ documents, checkpoints: new Map() })
  const fileSize = () => statSync(filename).size
  t.ok(fileSize() < 100_000, `just written, the documents are in the WAL only (file: ${fileSize()} bytes)`)
  const deadline = Date.now() + 5000
  while (fileSize() < 500_000 && Date.now() < deadline) await sleep(50)
  t.ok(fileSize() >= 500_000, `a second later, in the file (${fileSize()} bytes)`)
})
