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

readModelContract(t, 'sqlite file, written on a thread', async () => new SqliteReadModelStore(newFile()))

const doc = (id: string, position: number) => ({ collection: 'c', id, position, doc: { id, position } })

t.test('a batch the writer thread refuses rejects its write alone; the writes after it land', async t => {
  const store = new SqliteReadModelStore(newFile())
  t.teardown(() => store.close())
  const refused = store.write({ documents: [{ ...doc('a', 1), collection: 'Not A Name' }], checkpoints: new Map() })
  const next = store.write({ documents: [doc('b', 2)], checkpoints: new Map([['p', 2]]) })
  await t.rejects(refused, /invalid collection name/)
  await next
  t.strictSame(await store.get('c', 'b'), { id: 'b', position: 2 })
  t.equal(await store.getCheckpoint('p'), 2)
})

t.test('a writer thread that cannot open its file rejects the writes handed to it, and so does the next one', async t => {
  const writer = new ThreadedWriter(dir)
  await t.rejects(writer.write({ documents: [doc('a', 1)], checkpoints: new Map() }))
  await t.rejects(writer.write({ documents: [doc('a', 1)], checkpoints: new Map() }))
  await writer.close()
})
