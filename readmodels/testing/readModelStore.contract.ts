/**
 * The read-model port's contract: every ReadModelStore implementation runs this same suite. Collection and
 * projection names are unique per run, so a shared database (MongoDB) can run it without cleaning up.
 */
import type { Test } from 'tap'
import { valueAt } from '../paging.ts'
import { InvalidCursor, type FindOptions, type ReadModelDoc, type ReadModelStore } from '../port.ts'
import { UnitOfWork } from '../unitOfWork.ts'

interface Item extends ReadModelDoc {
  price: { amount: number; currency: string }
  brand?: string | null
  active: boolean
  createdAt: string
}

/** One apply or remove, committed at once, as a projection's unit of work would write it. */
async function applyNow<T extends ReadModelDoc>(
  store: ReadModelStore,
  collection: string,
  id: string,
  position: number,
  update: (current: T | null) => Omit<T, 'position'> | null,
): Promise<void> {
  const work = new UnitOfWork(store)
  await work.apply<T>(collection, id, position, update)
  await work.commit(new Map())
}

async function removeNow(store: ReadModelStore, collection: string, id: string, position: number): Promise<void> {
  const work = new UnitOfWork(store)
  await work.remove(collection, id, position)
  await work.commit(new Map())
}

let counter = 0
const unique = (prefix: string) => `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter++}`

const item = (id: string, amount: number, brand: string | null | undefined, active: boolean, day: number): Omit<Item, 'position'> => ({
  id,
  price: { amount, currency: 'EUR' },
  ...(brand === undefined ? {} : { brand }),
  active,
  createdAt: `2025-01-${String(day).padStart(2, '0')}T00:00:00.000Z`,
})

/** Inserted out of id order; amounts and brands tie, some brands are null or missing. */
const items = [
  item('g', 200, 'Acme', true, 7),
  item('b', 100, 'Bolt', false, 2),
  item('j', 400, 'Bolt', true, 9),
  item('c', 200, null, true, 3),
  item('a', 300, 'Acme', true, 1),
  item('e', 300, undefined, false, 5),
  item('h', 500, 'Cord', true, 8),
  item('d', 100, 'Acme', true, 4),
  item('f', 100, 'Bolt', true, 6),
  item('i', 100, null, false, 9),
]

const rank = (value: unknown) => (value === null ? 0 : typeof value === 'string' ? 2 : 1)

/** The order the port promises: null < numbers < strings, ties on id, all in the sort's direction. */
function expectedIds(docs: readonly Omit<Item, 'position'>[], sort = 'id'): string[] {
  const descending = sort.startsWith('-')
  const field = descending ? sort.slice(1) : sort
  const compare = (x: Omit<Item, 'position'>, y: Omit<Item, 'position'>) => {
    const [a, b] = [valueAt(x, field), valueAt(y, field)]
    if (rank(a) !== rank(b)) return rank(a) - rank(b)
    if (a !== b) return (a as number | string) < (b as number | string) ? -1 : 1
    return x.id < y.id ? -1 : 1
  }
  const sorted = [...docs].sort(compare).map(doc => doc.id)
  return descending ? sorted.reverse() : sorted
}

async function findAll(store: ReadModelStore, collection: string, options: Omit<FindOptions, 'cursor'>): Promise<string[][]> {
  const pages: string[][] = []
  let cursor: string | undefined
  do {
    const page = await store.find<Item>(collection, { ...options, ...(cursor === undefined ? {} : { cursor }) })
    pages.push(page.items.map(doc => doc.id))
    cursor = page.nextCursor ?? undefined
  } while (cursor !== undefined)
  return pages
}

export function readModelContract(t: Test, name: string, makeStore: () => Promise<ReadModelStore>): void {
  const test = (title: string, body: (t: Test, store: ReadModelStore, collection: string) => Promise<void>) =>
    t.test(`${name}: ${title}`, async t => {
      const store = await makeStore()
      t.teardown(() => store.close())
      await body(t, store, unique('c'))
    })

  const seeded = (title: string, body: (t: Test, store: ReadModelStore, collection: string) => Promise<void>) =>
    test(title, async (t, store, collection) => {
      await store.ensureIndexes(collection, [['brand', 'price.amount'], ['active', 'createdAt']])
      for (const [index, doc] of items.entries()) await applyNow<Item>(store, collection, doc.id, index + 1, () => doc)
      await body(t, store, collection)
    })

  test('get answers null for an unknown id or collection', async (t, store, collection) => {
    t.equal(await store.get(collection, 'nope'), null)
    await applyNow(store, collection, 'x', 1, () => ({ id: 'x' }))
    t.equal(await store.get(collection, 'nope'), null)
  })

  test('apply creates a document that records the position', async (t, store, collection) => {
    let seen: unknown = 'not called'
    await applyNow<Item>(store, collection, 'a', 7, current => ((seen = current), items[0]!))
    t.equal(seen, null)
    t.strictSame(await store.get(collection, 'a'), { ...items[0], id: 'a', position: 7 })
  })

  test('apply passes the current document and stores what the update returns', async (t, store, collection) => {
    await applyNow<Item>(store, collection, 'a', 1, () => items[0]!)
    await applyNow<Item>(store, collection, 'a', 2, current => current && { ...current, active: false })
    t.strictSame(await store.get(collection, 'a'), { ...items[0], id: 'a', active: false, position: 2 })
  })

  test('apply skips a position at or below the stored one', async (t, store, collection) => {
    await applyNow<Item>(store, collection, 'a', 5, () => items[0]!)
    await applyNow<Item>(store, collection, 'a', 5, () => items[1]!)
    await applyNow<Item>(store, collection, 'a', 3, () => items[1]!)
    t.strictSame(await store.get(collection, 'a'), { ...items[0], id: 'a', position: 5 })
  })

  test('apply leaves everything untouched when the update returns null', async (t, store, collection) => {
    await applyNow<Item>(store, collection, 'missing', 1, () => null)
    t.equal(await store.get(collection, 'missing'), null)
    await applyNow<Item>(store, collection, 'a', 1, () => items[0]!)
    await applyNow<Item>(store, collection, 'a', 2, () => null)
    t.strictSame(await store.get(collection, 'a'), { ...items[0], id: 'a', position: 1 })
  })

  test('replaying the same applies twice changes nothing', async (t, store, collection) => {
    interface Counter extends ReadModelDoc {
      hits: number[]
    }
    const applies = [1, 2, 3, 4, 5, 6].map(position => ({ id: `doc${position % 3}`, position }))
    const replay = async () => {
      for (const { id, position } of applies)
        await applyNow<Counter>(store, collection, id, position, current => ({ id, hits: [...(current?.hits ?? []), position] }))
    }
    await replay()
    const once = await store.find(collection, { limit: 100 })
    await replay()
    t.strictSame(await store.find(collection, { limit: 100 }), once)
    t.strictSame(once.items.map(doc => (doc as Counter).hits), [[3, 6], [1, 4], [2, 5]])
  })

  test('remove deletes a document that records an earlier position', async (t, store, collection) => {
    await applyNow<Item>(store, collection, 'a', 3, () => items[0]!)
    await applyNow<Item>(store, collection, 'b', 3, () => items[1]!)
    await removeNow(store, collection, 'a', 4)
    t.equal(await store.get(collection, 'a'), null)
    t.strictSame((await store.find(collection, { limit: 10 })).items.map(doc => doc.id), ['b'], 'and only that one')
  })

  test('remove skips a document at or past the position', async (t, store, collection) => {
    await applyNow<Item>(store, collection, 'a', 5, () => items[0]!)
    await removeNow(store, collection, 'a', 5)
    await removeNow(store, collection, 'a', 2)
    t.strictSame(await store.get(collection, 'a'), { ...items[0], id: 'a', position: 5 })
  })

  test('remove of a missing document, or again, changes nothing', async (t, store, collection) => {
    await removeNow(store, unique('c'), 'a', 1)
    await removeNow(store, collection, 'nope', 1)
    await applyNow<Item>(store, collection, 'a', 1, () => items[0]!)
    await removeNow(store, collection, 'a', 2)
    await removeNow(store, collection, 'a', 2)
    t.strictSame((await store.find(collection, { limit: 10 })).items, [])
  })

  test('remove keeps no tombstone: a later apply creates the document afresh', async (t, store, collection) => {
    await applyNow<Item>(store, collection, 'a', 5, () => items[0]!)
    await removeNow(store, collection, 'a', 6)
    let seen: unknown = 'not called'
    await applyNow<Item>(store, collection, 'a', 2, current => ((seen = current), items[1]!))
    t.equal(seen, null)
    t.strictSame(await store.get(collection, 'a'), { ...items[1], id: 'a', position: 2 })
  })

  test('a unit of work sees its own writes, and commits the last state of each document', async (t, store, collection) => {
    const work = new UnitOfWork(store)
    await work.apply<Item>(collection, 'a', 1, () => items[0]!)
    await work.remove(collection, 'a', 2)
    t.equal(await work.get(collection, 'a'), null, 'removed in the unit')
    await work.apply<Item>(collection, 'a', 3, current => current ?? items[1]!)
    await work.apply<Item>(collection, 'b', 4, () => items[2]!)
    t.equal(await store.get(collection, 'a'), null, 'nothing in the store before the commit')
    await work.commit(new Map())
    t.strictSame(await store.get(collection, 'a'), { ...items[1], id: 'a', position: 3 })
    t.strictSame(await store.get(collection, 'b'), { ...items[2], id: 'b', position: 4 })
  })

  test('write lands a document only over an earlier position, and removes only an earlier one', async (t, store, collection) => {
    const put = (id: string, position: number, doc: Omit<Item, 'position'> | null) =>
      store.write({ documents: [{ collection, id, position, doc: doc && { ...doc, id, position } }], checkpoints: new Map() })
    await put('a', 5, items[0]!)
    await put('a', 5, items[1]!)
    await put('a', 3, items[1]!)
    t.strictSame(await store.get(collection, 'a'), { ...items[0], id: 'a', position: 5 }, 'a slower writer changes nothing')
    await put('a', 4, null)
    t.ok(await store.get(collection, 'a'), 'nor does an older removal')
    await put('a', 6, null)
    t.equal(await store.get(collection, 'a'), null)
  })

  test('write stores a batch of documents in several collections with the checkpoints reached', async (t, store, collection) => {
    const other = unique('c')
    const [one, two] = [unique('p'), unique('p')]
    const documents = items.map((doc, index) => ({ collection: index % 2 ? other : collection, id: doc.id, position: 10 + index, doc: { ...doc, position: 10 + index } }))
    await store.write({ documents, checkpoints: new Map([[one, 19], [two, 7]]) })
    t.equal((await store.find(collection, { limit: 100 })).items.length, 5)
    t.equal((await store.find(other, { limit: 100 })).items.length, 5)
    t.equal((await store.get<Item>(other, items[9]!.id))?.position, 19)
    t.equal(await store.getCheckpoint(one), 19)
    t.equal(await store.getCheckpoint(two), 7)
  })

  test('a batch written again after part of it landed writes the rest', async (t, store, collection) => {
    const other = unique('c')
    const [one, two] = [unique('p'), unique('p')]
    await store.write({ documents: [{ collection, id: 'b', position: 1, doc: { ...items[1]!, id: 'b', position: 1 } }], checkpoints: new Map() })
    const documents = ['a', 'b', 'c', 'd', 'e'].map((id, index) => ({ collection: index < 3 ? collection : other, id, position: 10 + index, doc: { ...items[index]!, id, position: 10 + index } }))
    // A crash after the first document of each collection was written: the unit of work writes the batch again.
    await store.write({ documents: [documents[0]!, documents[3]!], checkpoints: new Map() })
    await store.write({ documents, checkpoints: new Map([[one, 14], [two, 14]]) })
    for (const { collection: written, id, doc } of documents) t.strictSame(await store.get(written, id), doc, `${id} as of its position`)
    t.same([await store.getCheckpoint(one), await store.getCheckpoint(two)], [14, 14])
  })

  test('a batch of 200 changes to existing documents, and 200 new ones, is written whole', async (t, store, collection) => {
    const doc = (n: number, position: number) => ({ ...items[n % items.length]!, id: `doc-${n}`, position })
    const batch = (from: number, position: number) =>
      Array.from({ length: 200 }, (_, n) => ({ collection, id: `doc-${from + n}`, position, doc: doc(from + n, position) }))
    await store.write({ documents: batch(0, 1), checkpoints: new Map() })
    await store.write({ documents: [...batch(0, 2), ...batch(200, 2)], checkpoints: new Map() })
    const stored = (await findAll(store, collection, { limit: 100 })).flat()
    t.equal(stored.length, 400)
    t.strictSame(await store.get(collection, 'doc-7'), doc(7, 2), 'an existing document changed')
    t.strictSame(await store.get(collection, 'doc-207'), doc(207, 2), 'a new one written')
  })

  seeded('find filters on equality of strings, numbers, booleans and null', async (t, store, collection) => {
    const ids = async (where: FindOptions['where']) => (await store.find(collection, { where, limit: 100 })).items.map(doc => doc.id)
    t.strictSame(await ids({ brand: 'Acme' }), ['a', 'd', 'g'])
    t.strictSame(await ids({ 'price.amount': 100 }), ['b', 'd', 'f', 'i'])
    t.strictSame(await ids({ active: false }), ['b', 'e', 'i'])
    t.strictSame(await ids({ brand: null }), ['c', 'e', 'i'], 'null matches null and missing fields')
    t.strictSame(await ids({ brand: 'Acme', active: true, 'price.amount': 300 }), ['a'])
    t.strictSame(await ids({ brand: 'Nobody' }), [])
  })

  seeded('find filters on ranges and membership', async (t, store, collection) => {
    const ids = async (where: FindOptions['where']) => (await store.find(collection, { where, limit: 100 })).items.map(doc => doc.id)
    t.strictSame(await ids({ 'price.amount': { gte: 200, lte: 300 } }), ['a', 'c', 'e', 'g'])
    t.strictSame(await ids({ 'price.amount': { gte: 400 } }), ['h', 'j'])
    t.strictSame(await ids({ 'price.amount': { lte: 100 } }), ['b', 'd', 'f', 'i'])
    t.strictSame(await ids({ createdAt: { gte: '2025-01-08T00:00:00.000Z' } }), ['h', 'i', 'j'])
    t.strictSame(await ids({ brand: { in: ['Bolt', 'Cord'] } }), ['b', 'f', 'h', 'j'])
    t.strictSame(await ids({ brand: { in: ['Cord', null] } }), ['c', 'e', 'h', 'i'])
    t.strictSame(await ids({ brand: { in: [] } }), [])
    t.strictSame(await ids({ id: { in: ['a', 'z'] } }), ['a'])
    t.strictSame(await ids({ brand: 'Bolt', 'price.amount': { gte: 100, lte: 100 } }), ['b', 'f'])
  })

  const sorts = ['id', '-id', 'price.amount', '-price.amount', 'brand', '-brand', '-createdAt']

  seeded('find sorts on a field, ascending or descending, ties broken by id in the same direction', async (t, store, collection) => {
    for (const sort of sorts) {
      const page = await store.find(collection, { sort, limit: 100 })
      t.strictSame(page.items.map(doc => doc.id), expectedIds(items, sort), sort)
      t.equal(page.nextCursor, null)
    }
    t.strictSame((await store.find(collection, { limit: 100 })).items.map(doc => doc.id), expectedIds(items), 'id by default')
  })

  seeded('find pages through ties and nulls without gaps or repeats', async (t, store, collection) => {
    for (const sort of sorts)
      for (const limit of [1, 2, 3, 4]) {
        const pages = await findAll(store, collection, { sort, limit })
        t.strictSame(pages.flat(), expectedIds(items, sort), `${sort} by ${limit}`)
        t.ok(pages.every(page => page.length === limit) || pages.at(-1)!.length < limit, 'only the last page is short')
      }
    const where = { active: true }
    const pages = await findAll(store, collection, { where, sort: '-price.amount', limit: 2 })
    t.strictSame(pages.flat(), expectedIds(items.filter(doc => doc.active), '-price.amount'), 'with a filter')
  })

  seeded('find answers a null nextCursor on the last page, also when it is exactly full', async (t, store, collection) => {
    const full = await store.find(collection, { limit: items.length })
    t.equal(full.items.length, items.length)
    t.equal(full.nextCursor, null)
    const first = await store.find(collection, { limit: 5 })
    t.type(first.nextCursor, 'string')
    const second = await store.find(collection, { limit: 5, cursor: first.nextCursor! })
    t.equal(second.items.length, 5)
    t.equal(second.nextCursor, null)
  })

  seeded('find refuses a malformed cursor, or one from another sort', async (t, store, collection) => {
    const { nextCursor } = await store.find(collection, { sort: 'price.amount', limit: 2 })
    for (const cursor of ['garbage!', '', 'e30', Buffer.from('[1,2]').toString('base64url'), `${nextCursor}x`])
      await t.rejects(store.find(collection, { sort: 'price.amount', limit: 2, cursor }), InvalidCursor, cursor)
    await t.rejects(store.find(collection, { sort: '-price.amount', limit: 2, cursor: nextCursor! }), InvalidCursor)
  })

  seeded('find accepts a limit of 1..100 only', async (t, store, collection) => {
    for (const limit of [0, 101, 1.5]) await t.rejects(store.find(collection, { limit }), RangeError, String(limit))
    t.equal((await store.find(collection, { limit: 100 })).items.length, items.length)
  })

  test('ensureIndexes can be called again', async (t, store, collection) => {
    await store.ensureIndexes(collection, [['brand'], ['price.amount', 'createdAt']])
    await store.ensureIndexes(collection, [['brand'], ['price.amount', 'createdAt']])
    await applyNow<Item>(store, collection, 'a', 1, () => items[0]!)
    t.strictSame((await store.find(collection, { where: { brand: 'Acme' }, limit: 1 })).items.length, 1)
  })

  test('checkpoints read 0 until set, then the last position set, per projection', async (t, store) => {
    const [one, two] = [unique('p'), unique('p')]
    t.equal(await store.getCheckpoint(one), 0)
    await store.setCheckpoint(one, 12)
    await store.setCheckpoint(one, 40)
    t.equal(await store.getCheckpoint(one), 40)
    t.equal(await store.getCheckpoint(two), 0)
  })

  test('drop empties one collection and leaves other collections and checkpoints alone', async (t, store, collection) => {
    const other = unique('c')
    const projection = unique('p')
    await store.ensureIndexes(collection, [['brand']])
    await applyNow<Item>(store, collection, 'a', 9, () => items[0]!)
    await applyNow<Item>(store, other, 'a', 9, () => items[0]!)
    await store.setCheckpoint(projection, 9)
    await store.drop(collection)
    t.equal(await store.get(collection, 'a'), null)
    t.strictSame((await store.find(collection, { where: { brand: 'Acme' }, limit: 10 })).items, [])
    t.ok(await store.get(other, 'a'))
    t.equal(await store.getCheckpoint(projection), 9)
    await applyNow<Item>(store, collection, 'a', 1, () => items[0]!)
    t.equal((await store.get<Item>(collection, 'a'))?.position, 1, 'a dropped collection starts from scratch')
  })

  test('collection names and field paths outside their grammar are refused', async (t, store, collection) => {
    for (const bad of ['x; DROP TABLE checkpoints', 'a"b', 'Upper', '', 'a b', `${'x'.repeat(64)}`])
      await t.rejects(store.get(bad, 'id'), TypeError, JSON.stringify(bad))
    for (const field of ["a') OR 1=1 --", 'a..b', '$where', 'a.', '1a'])
      await t.rejects(store.find(collection, { where: { [field]: 1 }, limit: 1 }), TypeError, field)
    await t.rejects(store.find(collection, { sort: '-a b', limit: 1 }), TypeError)
    await t.rejects(store.ensureIndexes(collection, [['ok', 'no way']]), TypeError)
  })
}
