import Database from 'better-sqlite3'
import { join } from 'node:path'
import t from 'tap'
import { projections } from '../projectors/index.ts'
import type { ProductDoc } from '../readmodels/documents.ts'
import { ProjectionRunner } from '../projectors/runner.ts'
import { SqliteReadModelStore } from '../readmodels/sqlite.ts'
import { captureIo, audit, serve } from './testing/fixture.ts'
import { dump } from '../projectors/testing/store.ts'
import { writeRandomHistory } from './testing/randomHistory.ts'
import { Progress } from './rebuild/progress.ts'
import { rebuildAndSwap } from './rebuild/rebuild.ts'
import { openPorts } from './openAuditPorts.ts'
import type { CollectionSwap } from './rebuild/swap.ts'
import { UnitOfWork } from '../readmodels/unitOfWork.ts'

const caughtUp = async (served: { ctx: { eventLog: { headPosition(): Promise<number> }; waitForPosition(p: number, ms: number): Promise<boolean> } }) => {
  const head = await served.ctx.eventLog.headPosition()
  if (!(await served.ctx.waitForPosition(head, 30_000))) throw new Error(`the live projections did not reach ${head}`)
  return head
}

/** The names of tables and checkpoints a rebuild left behind. */
const leftovers = (dataDir: string) => {
  const db = new Database(join(dataDir, 'readmodels.sqlite'), { readonly: true })
  try {
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE name LIKE '%\\_\\_rebuild%' ESCAPE '\\'`).pluck().all()
    const checkpoints = db.prepare(`SELECT projection FROM checkpoints WHERE projection LIKE '%\\_\\_rebuild' ESCAPE '\\'`).pluck().all()
    return { tables, checkpoints }
  } finally {
    db.close()
  }
}

t.test('a rebuild equals the live read models, document for document', async t => {
  const served = await serve(t)
  const history = await writeRandomHistory(served.ctx, { commands: 4000, seed: 11, erasures: true })
  t.ok(history.appended > 3000, `${history.appended} events from 4000 commands (${history.refused} refused)`)
  t.ok(history.erased.length > 0, `${history.erased.length} users erased along the way`)
  const head = await caughtUp(served)
  const live = await dump(served.ctx.readModels)

  // Damage the live models where a rebuild must repair them: a product changed, a stray document.
  const store = served.ctx.readModels
  const damage = new UnitOfWork(store)
  await damage.apply<ProductDoc>('products', history.products[0]!, head + 1000, doc => doc && { ...doc, name: 'tampered' })
  await damage.apply('notifications', 'stray', head + 1000, () => ({ id: 'stray' }))
  await damage.commit(new Map())

  const result = await audit(served.dataDir, 'rebuild')
  t.equal(result.code, 0, result.stderr)
  t.match(result.stdout, /^rebuilt products, .*notifications: \d+ events replayed in .*, swapped in at position \d+\n$/)
  t.match(result.stderr, /^rebuilding .* into shadow collections, from the start\n/)
  t.match(result.stderr, new RegExp(`${head} events, position ${head}/${head} \\(100%\\), \\d+ events/s`))

  const rebuilt = await dump(store)
  for (const [name, docs] of Object.entries(live)) t.same(rebuilt[name], docs, `${name}: ${docs.length} documents`)
  for (const { name } of projections) t.equal(await store.getCheckpoint(name), head, `${name} checkpoint`)
  t.same(leftovers(served.dataDir), { tables: [], checkpoints: [] }, 'no shadow left behind')
})

t.test('a rebuild while the API writes and projects ends with the read models a fresh replay gives', async t => {
  const served = await serve(t)
  const first = await writeRandomHistory(served.ctx, { commands: 2000, seed: 23, erasures: true })
  await caughtUp(served)

  const [result] = await Promise.all([audit(served.dataDir, 'rebuild'), writeRandomHistory(served.ctx, { ...first.next, commands: 600 })])
  t.equal(result.code, 0, result.stderr)
  await caughtUp(served)

  const fresh = new SqliteReadModelStore(':memory:')
  t.teardown(() => fresh.close())
  await new ProjectionRunner({ eventLog: served.ctx.eventLog, store: fresh }).rebuild()
  const expected = await dump(fresh)
  const actual = await dump(served.ctx.readModels)
  for (const [name, docs] of Object.entries(expected)) t.same(actual[name], docs, `${name}: ${docs.length} documents`)
})

t.test('readers see the old models until the swap, and an event appended just before it is replayed first', async t => {
  const served = await serve(t)
  const history = await writeRandomHistory(served.ctx, { commands: 300, seed: 5 })
  const productId = history.products[0]!
  await caughtUp(served)
  await served.stop()
  const ports = await openPorts(captureIo({ DATA_DIR: served.dataDir }))
  t.teardown(() => ports.close())
  const oldModel = new UnitOfWork(ports.readModels)
  await oldModel.apply<ProductDoc>('products', productId, 1_000_000, doc => doc && { ...doc, name: 'old model' })
  await oldModel.commit(new Map())
  const nameNow = async () => (await ports.readModels.get<ProductDoc>('products', productId))?.name
  const sqlite = ports.swap!
  let attempts = 0
  const swap: CollectionSwap = {
    async swap(replacement, ready) {
      t.equal(await nameNow(), 'old model', `swap ${attempts + 1}: until now readers see the old models`)
      // Another writer appends after the replay reached the head it aimed at, before the swap.
      if (++attempts === 1) await writeRandomHistory(ports, { ...history.next, commands: 5 })
      return sqlite.swap(replacement, ready)
    },
    close: () => sqlite.close(),
  }
  const position = await rebuildAndSwap({
    eventLog: ports.eventLog,
    store: ports.readModels,
    swap,
    projections,
    progress: new Progress(captureIo({}).stderr, 0),
    onFailure: error => t.fail(String(error)),
  })
  const head = await ports.rawEventLog.headPosition()
  t.equal(attempts, 2, 'the first swap found the head moved, and changed nothing')
  t.not(await nameNow(), 'old model', 'after the swap they see the new ones')
  t.equal(position, head, 'the second swapped in models that include the late events')
  for (const { name } of projections) t.equal(await ports.readModels.getCheckpoint(name), head, `${name} checkpoint`)
})

t.test('rebuilds only the projections named, and resumes with --from', async t => {
  const served = await serve(t)
  await writeRandomHistory(served.ctx, { commands: 300, seed: 3 })
  const head = await caughtUp(served)
  const before = await dump(served.ctx.readModels)

  const some = await audit(served.dataDir, 'rebuild', 'users', 'products')
  t.equal(some.code, 0, some.stderr)
  t.match(some.stdout, /^rebuilt products, users: /, 'in the runner’s order')
  t.same(await dump(served.ctx.readModels), before)

  const resumed = await audit(served.dataDir, 'rebuild', 'stories', '--from', '0')
  t.equal(resumed.code, 0, resumed.stderr)
  t.match(resumed.stderr, /after position 0/)
  t.same(await dump(served.ctx.readModels), before)

  const tooFar = await audit(served.dataDir, 'rebuild', 'stories', '--from', String(head))
  t.equal(tooFar.code, 2)
  t.match(tooFar.stderr, /the shadow of stories has applied events up to position 0 only: --from must not be past it/)

  const noEvent = await audit(served.dataDir, 'rebuild', 'stories', '--from', String(head + 1_000))
  t.equal(noEvent.code, 2)
  t.match(noEvent.stderr, new RegExp(`--from ${head + 1_000} is not the position of an event in this log`))

  const unknown = await audit(served.dataDir, 'rebuild', 'nope')
  t.equal(unknown.code, 2)
  t.match(unknown.stderr, /no projection named nope \(there are: products, qr_codes, /)
})
