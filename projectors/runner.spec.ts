import t from 'tap'
import type { EventLog } from '../eventlog/port.ts'
import { faultyLog } from '../eventlog/testing/faultyLog.ts'
import type { ReadModelStore, WriteBatch } from '../readmodels/port.ts'
import { SqliteReadModelStore } from '../readmodels/sqlite.ts'
import { UnitOfWork } from '../readmodels/unitOfWork.ts'
import { collections, type ProductDoc } from '../readmodels/documents.ts'
import { projections } from './index.ts'
import { ProjectionFailed, ProjectionRunner, type RebuildProgress, type RunnerOptions } from './runner.ts'
import { append, logOf } from './testing/log.ts'
import { ids, scenario } from './testing/scenario.ts'
import { dump } from './testing/store.ts'

const { events } = scenario()
const head = events.length
const half = Math.floor(head / 2)

const quick: Partial<RunnerOptions> = { retryDelayMs: { first: 1, max: 5 } }

async function caughtUp(eventLog: EventLog, store: ReadModelStore, options: Partial<RunnerOptions> = {}): Promise<ProjectionRunner> {
  const runner = new ProjectionRunner({ eventLog, store, ...quick, ...options })
  await runner.start()
  if (!(await runner.waitForPosition(await eventLog.headPosition(), 5000))) throw new Error('the runner did not catch up')
  await runner.stop()
  return runner
}

async function rebuilt(eventLog: EventLog): Promise<ReadModelStore> {
  const store = new SqliteReadModelStore(':memory:')
  await new ProjectionRunner({ eventLog, store }).rebuild()
  return store
}

t.test('follows the log as it grows and tells when a position is applied', async t => {
  const log = await logOf(events.slice(0, half))
  const store = new SqliteReadModelStore(':memory:')
  const runner = new ProjectionRunner({ eventLog: log, store, ...quick })
  await runner.start()
  t.equal(await runner.waitForPosition(half, 2000), true)
  t.equal(await runner.waitForPosition(1, 0), true, 'a position already applied answers at once')
  t.equal(await runner.waitForPosition(half + 1, 30), false, 'a position not yet in the log times out')
  const waiting = runner.waitForPosition(head, 2000)
  await append(log, events.slice(half))
  t.equal(await waiting, true)
  t.equal(runner.position, head)
  t.equal((await store.get<ProductDoc>(collections.products, ids.p1))?.position, head)
  await runner.stop()
})

t.test('a subscription that fails or ends is followed again from where it stopped', async t => {
  const log = await logOf(events.slice(0, half))
  const faulty = faultyLog(log, [{ after: 2, fault: 'throw' }, { after: 1, fault: 'end' }, { after: 0, fault: 'throw' }])
  const errors: unknown[] = []
  const runner = new ProjectionRunner({ eventLog: faulty, store: new SqliteReadModelStore(':memory:'), ...quick, onError: error => errors.push(error) })
  await runner.start()
  await append(log, events.slice(half))
  t.equal(await runner.waitForPosition(head, 5000), true, 'caught up across the faults')
  t.ok(faulty.subscriptions >= 4, 'subscribed again each time')
  t.equal(errors.length, 2, 'each thrown failure was told')
  await runner.stop()
})

t.test('commits events in batches, with their checkpoints, before it tells they are applied', async t => {
  const log = await logOf(events)
  const batchSize = 5
  const store = new FailingOnce(new SqliteReadModelStore(':memory:'), 0, false)
  const runner = new ProjectionRunner({ eventLog: log, store, batchSize })
  await runner.start()
  t.equal(await runner.waitForPosition(head, 2000), true)
  for (const { name } of projections) t.equal(await store.getCheckpoint(name), head, `${name} committed`)
  t.equal((await store.get<ProductDoc>(collections.products, ids.p1))?.position, head)
  t.ok(store.count >= Math.ceil(head / batchSize) && store.count < head / 2, `${head} events in ${store.count} writes`)
  await runner.stop()
})

t.test('stopped midway and restarted, even with checkpoints lost, it ends where a rebuild does', async t => {
  for (const lostCheckpoints of [false, true]) {
    const log = await logOf(events.slice(0, half))
    const store = new SqliteReadModelStore(':memory:')
    await caughtUp(log, store)
    await append(log, events.slice(half))
    t.equal((await store.get<ProductDoc>(collections.products, ids.p1))?.position, half, 'stopped: the rest is not applied')
    if (lostCheckpoints) for (const { name } of projections) await store.setCheckpoint(name, 3)
    await caughtUp(log, store)
    t.strictSame(await dump(store), await dump(await rebuilt(log)), lostCheckpoints ? 'checkpoints lost' : 'clean stop')
  }
})

/** Fails the nth write once, before or after it reaches the store (a commit whose answer is lost). */
class FailingOnce implements ReadModelStore {
  private writes = 0
  constructor(
    readonly inner: ReadModelStore,
    private readonly failAt: number,
    private readonly afterWriting: boolean,
    /** How long each write takes: long enough, and the next batch is handed over meanwhile. */
    private readonly writeMs = 0,
  ) {}
  ensureIndexes: ReadModelStore['ensureIndexes'] = (...args) => this.inner.ensureIndexes(...args)
  get: ReadModelStore['get'] = (...args) => this.inner.get(...args)
  find: ReadModelStore['find'] = (...args) => this.inner.find(...args)
  getCheckpoint: ReadModelStore['getCheckpoint'] = (...args) => this.inner.getCheckpoint(...args)
  setCheckpoint: ReadModelStore['setCheckpoint'] = (...args) => this.inner.setCheckpoint(...args)
  drop: ReadModelStore['drop'] = (...args) => this.inner.drop(...args)
  close: ReadModelStore['close'] = () => this.inner.close()
  write: ReadModelStore['write'] = (...args) => this.attempt(() => this.inner.write(...args))
  private async attempt(run: () => Promise<void>): Promise<void> {
    const failing = ++this.writes === this.failAt
    if (this.writeMs > 0) await new Promise(resolve => setTimeout(resolve, this.writeMs))
    if (failing && !this.afterWriting) throw new Error(`write ${this.failAt} failed`)
    await run()
    if (failing) throw new Error(`write ${this.failAt} lost its answer`)
  }
  get count(): number {
    return this.writes
  }
}

/** Reads answer a turn of the event loop later, and writes later still, as a networked store's may. */
class Slow extends FailingOnce {
  constructor(inner: ReadModelStore) {
    super(inner, 0, false)
  }
  override get: ReadModelStore['get'] = async (...args) => {
    await new Promise(resolve => setImmediate(resolve))
    return this.inner.get(...args)
  }
  override write: ReadModelStore['write'] = async (...args) => {
    await new Promise(resolve => setTimeout(resolve, 2))
    return this.inner.write(...args)
  }
}

t.test('on a slow store, committing between events, it ends where a rebuild does', async t => {
  const log = await logOf(events)
  const store = new Slow(new SqliteReadModelStore(':memory:'))
  await caughtUp(log, store)
  t.strictSame(await dump(store.inner), await dump(await rebuilt(log)))
})

t.test('applies the next batch while the store writes one, and commits in order', async t => {
  const log = await logOf(events)
  const inner = new SqliteReadModelStore(':memory:')
  const releases: (() => void)[] = []
  const written: number[] = []
  // Held until released: every batch of documents (the checkpoints the rebuild resets pass at once).
  const store = Object.assign(Object.create(inner) as ReadModelStore, {
    write: (batch: WriteBatch) =>
      batch.documents.length === 0
        ? inner.write(batch)
        : new Promise<void>(resolve => releases.push(() => resolve(inner.write(batch).then(() => void (batch.checkpoints.has('products') && written.push(batch.checkpoints.get('products')!)))))),
  })
  let delivered = 0
  const counted: EventLog = Object.assign(Object.create(log) as EventLog, {
    readAll: async function* (options?: Parameters<EventLog['readAll']>[0]) {
      for await (const event of log.readAll(options)) yield (delivered++, event)
    },
  })
  const runner = new ProjectionRunner({ eventLog: counted, store, batchSize: 2 })
  const rebuilding = runner.rebuild()
  while (releases.length === 0) await new Promise(resolve => setImmediate(resolve))
  await new Promise(resolve => setTimeout(resolve, 5))
  t.equal(releases.length, 1, 'one batch written at a time')
  t.ok(delivered >= 4, `the next batch applied meanwhile (${delivered} events)`)
  t.ok(delivered < head, 'and no further than that')
  let done = false
  void rebuilding.finally(() => (done = true))
  while (!done) {
    releases.shift()?.()
    await new Promise(resolve => setImmediate(resolve))
  }
  await rebuilding
  t.equal(written.at(-1), head)
  t.strictSame(written, [...written].sort((a, b) => a - b), 'positions committed in order')
  t.strictSame(await dump(inner), await dump(await rebuilt(log)))
})

t.test('a write failing anywhere is retried and leaves the same read models as a rebuild', async t => {
  const log = await logOf(events)
  const expected = await dump(await rebuilt(log))
  const oneByOne = { batchSize: 1 }
  const counting = new FailingOnce(new SqliteReadModelStore(':memory:'), 0, false)
  await caughtUp(log, counting, oneByOne)
  for (const afterWriting of [false, true])
    for (let failAt = 1; failAt <= counting.count; failAt++) {
      const errors: unknown[] = []
      const store = new FailingOnce(new SqliteReadModelStore(':memory:'), failAt, afterWriting)
      await caughtUp(log, store, { ...oneByOne, onError: error => errors.push(error) })
      const what = `write ${failAt} ${afterWriting ? 'after' : 'before'} writing`
      t.equal(errors.length, 1, what)
      const failure = errors[0] instanceof ProjectionFailed ? errors[0].cause : errors[0]
      t.match(String(failure), /write \d+ (failed|lost its answer)/, what)
      t.strictSame(await dump(store.inner), expected, what)
    }
})

t.test('a write failing while the next batch waits behind it is reported once, and the runner ends where a rebuild does', async t => {
  const log = await logOf(events)
  const expected = await dump(await rebuilt(log))
  const counting = new FailingOnce(new SqliteReadModelStore(':memory:'), 0, false, 2)
  await caughtUp(log, counting, { batchSize: 2 })
  for (let failAt = 1; failAt <= counting.count; failAt += 3) {
    const errors: unknown[] = []
    const store = new FailingOnce(new SqliteReadModelStore(':memory:'), failAt, false, 2)
    await caughtUp(log, store, { batchSize: 2, onError: error => errors.push(error) })
    t.equal(errors.length, 1, `write ${failAt}: one failure reported`)
    t.strictSame(await dump(store.inner), expected, `write ${failAt}`)
  }
})

t.test('a full batch whose write fails as the log goes quiet is written again', async t => {
  const log = await logOf(events)
  const counting = new FailingOnce(new SqliteReadModelStore(':memory:'), 0, false)
  await caughtUp(log, counting, { batchSize: head })
  const errors: unknown[] = []
  const store = new FailingOnce(new SqliteReadModelStore(':memory:'), counting.count, false, 2)
  await caughtUp(log, store, { batchSize: head, onError: error => errors.push(error) })
  t.equal(errors.length, 1)
  t.strictSame(await dump(store.inner), await dump(await rebuilt(log)))
})

t.test('events applied while a commit is written are committed together once it ends, though the log has gone quiet', async t => {
  const log = await logOf(events.slice(0, 1))
  const inner = new SqliteReadModelStore(':memory:')
  let release: (() => void) | undefined
  let writes = 0
  const store = Object.assign(Object.create(inner) as ReadModelStore, {
    write: (batch: WriteBatch) => (writes++ > 0 ? inner.write(batch) : new Promise<void>(resolve => (release = () => resolve(inner.write(batch))))),
  })
  const runner = new ProjectionRunner({ eventLog: log, store, ...quick })
  await runner.start()
  while (!release) await new Promise(resolve => setImmediate(resolve))
  for (const event of events.slice(1, 3)) {
    await append(log, [event])
    await new Promise(resolve => setTimeout(resolve, 30))
  }
  t.equal(writes, 1, 'applied, not committed, while the first commit is written')
  release()
  t.equal(await runner.waitForPosition(3, 2000), true)
  t.equal(writes, 2, 'in one batch')
  await runner.stop()
})

t.test('after a rebuild failed, the runner rebuilds again', async t => {
  const log = await logOf(events)
  const store = new FailingOnce(new SqliteReadModelStore(':memory:'), 3, false)
  const runner = new ProjectionRunner({ eventLog: log, store, batchSize: 2 })
  await t.rejects(runner.rebuild(), /write 3 failed/)
  await runner.rebuild()
  await runner.stop()
  t.strictSame(await dump(store.inner), await dump(await rebuilt(log)))
})

t.test('rebuilds the named projections from scratch and leaves the others alone', async t => {
  const log = await logOf(events)
  const store = new SqliteReadModelStore(':memory:')
  const runner = await caughtUp(log, store)
  const before = await dump(store)
  const strays = new UnitOfWork(store)
  await strays.apply(collections.listings, 'stray', 1, () => ({ id: 'stray' }))
  await strays.apply(collections.users, 'stray', 1, () => ({ id: 'stray' }))
  await strays.commit(new Map())
  const progress: RebuildProgress[] = []
  await runner.rebuild(['listings'], step => progress.push(step))
  const after = await dump(store)
  t.strictSame(after[collections.listings], before[collections.listings], 'rebuilt')
  t.equal(after[collections.users]?.length, before[collections.users]!.length + 1, 'untouched')
  t.strictSame(progress.at(-1), { position: head, head, events: head })
  t.equal(await store.getCheckpoint('listings'), head)
  await t.rejects(runner.rebuild(['nope']), /no projection named nope/)
})

t.test('a rebuild pauses a running runner, which then follows the log again', async t => {
  const log = await logOf(events.slice(0, half))
  const store = new SqliteReadModelStore(':memory:')
  const runner = new ProjectionRunner({ eventLog: log, store, ...quick })
  await runner.start()
  await runner.rebuild(['stories'])
  const waiting = runner.waitForPosition(head, 2000)
  await append(log, events.slice(half))
  t.equal(await waiting, true)
  await runner.stop()
  t.strictSame(await dump(store), await dump(await rebuilt(log)))
})

t.test('while a rebuild replays, a read waits for the replay, not for the read models it dropped', async t => {
  const log = await logOf(events)
  const store = new SqliteReadModelStore(':memory:')
  const seen: boolean[] = []
  let runner!: ProjectionRunner
  // The rebuild reads the whole log; before its first event, the dropped read models hold nothing.
  const watched: EventLog = {
    ...log,
    append: (...args) => log.append(...args),
    readStream: (...args) => log.readStream(...args),
    subscribe: options => log.subscribe(options),
    headPosition: () => log.headPosition(),
    close: () => log.close(),
    readAll: async function* (options) {
      seen.push(await runner.waitForPosition(head, 0))
      yield* log.readAll(options)
    },
  }
  runner = new ProjectionRunner({ eventLog: watched, store, ...quick })
  await runner.start()
  t.equal(await runner.waitForPosition(head, 2000), true, 'caught up')
  const waiting = runner.rebuild(['products']).then(() => runner.waitForPosition(head, 0))
  t.equal(await waiting, true, 'reached again once replayed')
  t.same(seen, [false], 'not reached while the replay had not begun')
  await runner.stop()
})
