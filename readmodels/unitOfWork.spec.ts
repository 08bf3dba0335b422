import t from 'tap'
import type { ReadModelStore, WriteBatch } from './port.ts'
import { SqliteReadModelStore } from './sqlite.ts'
import { UnitOfWork } from './unitOfWork.ts'

/** Keeps the batches it is given, and stores them. */
function recording(): { store: ReadModelStore; batches: WriteBatch[] } {
  const inner = new SqliteReadModelStore(':memory:')
  const batches: WriteBatch[] = []
  const store = Object.assign(Object.create(inner) as ReadModelStore, {
    write: (batch: WriteBatch) => (batches.push(batch), inner.write(batch)),
  })
  return { store, batches }
}

t.test('commit writes the collections in the order given, any other last, whatever order the writes came in', async t => {
  const { store, batches } = recording()
  const work = new UnitOfWork(store, ['periods', 'products'])
  await work.apply('products', 'p1', 1, () => ({ id: 'p1' }))
  await work.apply('notes', 'n1', 1, () => ({ id: 'n1' }))
  await work.apply('periods', 'p1:0', 1, () => ({ id: 'p1:0' }))
  await work.apply('products', 'p1', 2, current => current)
  await work.apply('periods', 'p1:1', 2, () => ({ id: 'p1:1' }))
  await work.commit(new Map([['products', 2]]))
  t.strictSame(
    batches[0]!.documents.map(({ collection, id }) => `${collection}/${id}`),
    ['periods/p1:0', 'periods/p1:1', 'products/p1', 'notes/n1'],
  )
  t.strictSame([...batches[0]!.checkpoints], [['products', 2]])
})

t.test('a document is read from the store once, then from the unit until it commits', async t => {
  const { store } = recording()
  await store.write({ documents: [{ collection: 'c', id: 'a', position: 1, doc: { id: 'a', position: 1 } }], checkpoints: new Map() })
  const work = new UnitOfWork(store)
  await work.apply<{ id: string; position: number; n: number }>('c', 'a', 2, current => current && { id: 'a', n: 1 })
  await work.apply<{ id: string; position: number; n: number }>('c', 'a', 3, current => current && { id: 'a', n: current.n + 1 })
  t.strictSame(await store.get('c', 'a'), { id: 'a', position: 1 }, 'the store is untouched before the commit')
  t.strictSame(await work.get('c', 'a'), { id: 'a', n: 2, position: 3 })
  await work.commit(new Map())
  t.strictSame(await store.get('c', 'a'), { id: 'a', n: 2, position: 3 })
})

t.test('find first commits what is pending, so that it finds it', async t => {
  const { store, batches } = recording()
  const work = new UnitOfWork(store)
  await work.apply('c', 'a', 1, () => ({ id: 'a' }))
  t.strictSame((await work.find('c', { limit: 10 })).items, [{ id: 'a', position: 1 }])
  t.equal(batches.length, 1)
})

t.test('discard forgets what is pending', async t => {
  const { store } = recording()
  const work = new UnitOfWork(store)
  await work.apply('c', 'a', 1, () => ({ id: 'a' }))
  work.discard()
  await work.commit(new Map())
  t.equal(await store.get('c', 'a'), null)
})
