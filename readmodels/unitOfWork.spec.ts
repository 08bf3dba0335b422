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

type Counter = { id: string; position: number; n: number }

t.test('create writes without reading the store, and the store keeps the later of the two', async t => {
  const { store } = recording()
  await store.write({ documents: [{ collection: 'c', id: 'a', position: 5, doc: { id: 'a', position: 5, n: 9 } as Counter }], checkpoints: new Map() })
  let reads = 0
  const counting = Object.assign(Object.create(store) as ReadModelStore, { get: (...args: Parameters<ReadModelStore['get']>) => (reads++, store.get(...args)) })
  const work = new UnitOfWork(counting)
  await work.create<Counter>('c', 3, { id: 'a', n: 1 })
  await work.create<Counter>('c', 4, { id: 'b', n: 1 })
  await work.create<Counter>('c', 2, { id: 'b', n: 0 })
  t.equal(reads, 0)
  t.strictSame(await work.get('c', 'b'), { id: 'b', n: 1, position: 4 }, 'an older create does not replace a newer one in the unit')
  await work.commit(new Map())
  t.strictSame(await store.get('c', 'a'), { id: 'a', position: 5, n: 9 }, 'the stored later document stays')
  t.strictSame(await store.get('c', 'b'), { id: 'b', n: 1, position: 4 })
})

t.test('patch changes its own uncommitted document in place, and copies one it has handed to the store', async t => {
  const { store } = recording()
  const work = new UnitOfWork(store)
  await work.create<Counter>('c', 1, { id: 'a', n: 0 })
  const own = await work.get<Counter>('c', 'a')
  await work.patch<Counter>('c', 'a', 2, doc => ({ n: doc.n + 1 }))
  t.equal(own, await work.get('c', 'a'), 'the same object')
  t.strictSame(own, { id: 'a', n: 1, position: 2 })
  await work.patch<Counter>('c', 'a', 2, doc => ({ n: doc.n + 1 }))
  t.equal(own!.n, 1, 'an event already applied changes nothing')
  await work.patch<Counter>('c', 'missing', 3, doc => ({ n: doc.n + 1 }))
  t.equal(await work.get('c', 'missing'), null, 'a document that does not exist stays so')
  const committing = work.commit(new Map())
  await work.patch<Counter>('c', 'a', 3, doc => ({ n: doc.n + 1 }))
  await committing
  t.strictSame(await store.get('c', 'a'), { id: 'a', n: 1, position: 2 }, 'the batch handed over is written as it was')
  t.strictSame(await work.get('c', 'a'), { id: 'a', n: 2, position: 3 })
})

/** A store whose writes wait until released, one by one, or fail when told to. */
function gated() {
  const { store, batches } = recording()
  const waiting: { release: () => void; fail: (error: Error) => void }[] = []
  const write = store.write.bind(store)
  let calls = 0
  store.write = batch => {
    calls++
    return new Promise<void>((resolve, reject) => waiting.push({ release: () => resolve(write(batch)), fail: reject }))
  }
  const next = async () => {
    while (waiting.length === 0) await new Promise(resolve => setImmediate(resolve))
    return waiting.shift()!
  }
  return { store, batches, next, calls: () => calls }
}

t.test('a batch being written is read from the unit, and the next is written only after it', async t => {
  const { store, batches, next, calls } = gated()
  const work = new UnitOfWork(store)
  await work.create<Counter>('c', 1, { id: 'a', n: 1 })
  const first = work.commit(new Map([['p', 1]]))
  await work.patch<Counter>('c', 'a', 2, doc => ({ n: doc.n + 1 }))
  t.strictSame(await work.get('c', 'a'), { id: 'a', n: 2, position: 2 }, 'applied on top of the batch being written')
  const second = work.commit(new Map([['p', 2]]))
  const writing = await next()
  await new Promise(resolve => setImmediate(resolve))
  t.equal(batches.length, 0, 'nothing written yet')
  t.equal(calls(), 1, 'the second batch is not handed to the store while the first is being written')
  writing.release()
  await first
  ;(await next()).release()
  await second
  t.strictSame(batches.map(batch => [...batch.checkpoints]), [[['p', 1]], [['p', 2]]], 'in order')
  t.strictSame(await store.get('c', 'a'), { id: 'a', n: 2, position: 2 })
})

t.test('a failed batch fails the ones after it, stays readable, and discard forgets it', async t => {
  const { store, batches, next } = gated()
  const work = new UnitOfWork(store)
  await work.create<Counter>('c', 1, { id: 'a', n: 1 })
  const first = work.commit(new Map([['p', 1]]))
  await work.create<Counter>('c', 2, { id: 'b', n: 1 })
  const second = work.commit(new Map([['p', 2]]))
  ;(await next()).fail(new Error('disk full'))
  await t.rejects(first, /disk full/)
  await t.rejects(second, /disk full/, 'not written after a batch that failed')
  t.equal(batches.length, 0)
  t.strictSame(await work.get('c', 'a'), { id: 'a', n: 1, position: 1 }, 'still read from the unit')
  work.discard()
  t.equal(await work.get('c', 'a'), null)
  await work.create<Counter>('c', 3, { id: 'c', n: 1 })
  const third = work.commit(new Map([['p', 3]]))
  ;(await next()).release()
  await third
  t.strictSame(await store.get('c', 'c'), { id: 'c', n: 1, position: 3 }, 'commits again after discard')
})

t.test('a field set to undefined is left out, so that set later it comes where a document read back from the store has it', async t => {
  type Doc = { id: string; position: number; a?: number; note?: string; b: number }
  const { store } = recording()
  const work = new UnitOfWork(store)
  await work.create<Doc>('c', 1, { id: 'x', a: 1, note: undefined, b: 2 })
  t.strictSame(Object.keys((await work.get('c', 'x'))!), ['id', 'a', 'b', 'position'], 'created without it')
  await work.patch<Doc>('c', 'x', 2, () => ({ a: undefined }))
  t.strictSame(Object.keys((await work.get('c', 'x'))!), ['id', 'b', 'position'], 'patched out')
  await work.patch<Doc>('c', 'x', 3, () => ({ note: 'n', a: 3 }))
  t.equal(JSON.stringify(await work.get('c', 'x')), '{"id":"x","b":2,"position":3,"note":"n","a":3}', 'set again: last')
  await work.apply<Doc>('c', 'y', 4, () => ({ id: 'y', note: undefined, b: 1 }))
  t.strictSame(Object.keys((await work.get('c', 'y'))!), ['id', 'b', 'position'], 'applied without it')
})
