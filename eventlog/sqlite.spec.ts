import Database from 'better-sqlite3'
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { eventLogContract, newEvent } from './testing/eventLog.contract.ts'
import { verifyChains } from './hashChain.ts'
import { WrongExpectedRevision, type RecordedEvent } from './port.ts'
import { SqliteEventLog, type SqliteEventLogOptions } from './sqlite.ts'

async function tempFile(t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ptvem-eventlog-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  return join(dir, 'events.db')
}

/** Whether `promise` resolves within `ms` (a rejection rejects): a test then fails on its assertion, not on tap's timeout. */
const settlesWithin = (promise: Promise<unknown>, ms: number): Promise<boolean> => {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<false>(resolve => (timer = setTimeout(() => resolve(false), ms)))
  return Promise.race([promise.then(() => true), late]).finally(() => clearTimeout(timer))
}

/** Rows another program sharing the file might write: binary-ish text, and JSON without this port's metadata. */
function writeForeignRows(file: string): void {
  const other = new Database(file)
  const insert = other.prepare(`INSERT INTO events (stream_id, revision, event_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)`)
  const id = randomUUID()
  insert.run(`foreign-${id}`, 0, id, 'Blob', '\u0000\u0001\u00ff not json', '')
  insert.run(`foreign-${id}`, 1, `${id}-json`, 'Imported', JSON.stringify({ source: 'elsewhere' }), JSON.stringify({ importedBy: 'another tool' }))
  other.close()
}

t.test('the head position is the last event of the port, not a foreign row after it', async t => {
  const file = await tempFile(t)
  const log = openLog(t, file)
  const { position } = await log.append('product-1', [newEvent('A')], 'no_stream')
  writeForeignRows(file)
  t.equal(await log.headPosition(), position)
  t.same(await collect(log.readAll({ after: position + 2 })), [], 'a foreign row is still a position to read after')
})

function openLog(t: Test, file: string, options?: SqliteEventLogOptions): SqliteEventLog {
  const log = new SqliteEventLog(file, options)
  t.teardown(() => log.close())
  return log
}

eventLogContract(t, 'SqliteEventLog', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ptvem-eventlog-'))
  const file = join(dir, 'events.db')
  const log = new SqliteEventLog(file)
  return {
    log,
    cleanup: async () => {
      await log.close()
      await rm(dir, { recursive: true, force: true })
    },
    writeForeignEvents: async () => writeForeignRows(file),
  }
})

t.test('runs in memory', async t => {
  const log = openLog(t, ':memory:')
  await log.append('product-1', [newEvent('A')], 'no_stream')
  t.equal(await log.headPosition(), 1)
})

t.test('reading the whole log pages through more than one batch', async t => {
  const log = openLog(t, await tempFile(t))
  for (let batch = 0; batch < 5; batch++) {
    await log.append(`product-${batch % 2}`, Array.from({ length: 500 }, (_, n) => newEvent('A', { n })))
  }
  const positions: number[] = []
  for await (const event of log.readAll()) positions.push(event.position)
  t.same(positions, Array.from({ length: 2500 }, (_, i) => i + 1), 'every event once, in order')

  let count = 0
  for await (const _event of log.readAll({ after: 700, maxCount: 1500 })) count++
  t.equal(count, 1500)
})

t.test('a reopened file keeps its log and its chains', async t => {
  const file = await tempFile(t)
  const first = new SqliteEventLog(file)
  await first.append('product-1', [newEvent('A')], 'no_stream')
  await first.close()

  const reopened = openLog(t, file)
  await reopened.append('product-1', [newEvent('B')], 0)
  const stored = await reopened.readStream('product-1')
  t.same(stored.map(event => event.type), ['A', 'B'])
  t.equal((await verifyChains(stored)).broken, null)
})

t.test('an append in this process wakes live subscriptions at once', async t => {
  const log = openLog(t, await tempFile(t), { pollIntervalMs: 60_000 })
  const controller = new AbortController()
  t.teardown(() => controller.abort())
  const received: RecordedEvent[] = []
  const consuming = (async () => {
    for await (const event of log.subscribe({ signal: controller.signal })) {
      received.push(event)
      controller.abort()
    }
  })()
  await new Promise(resolve => setTimeout(resolve, 20))
  await log.append('product-1', [newEvent('A')], 'no_stream')
  t.ok(await settlesWithin(consuming, 1_000), 'delivered within a second, not at the next poll a minute away')
  t.same(received.map(event => [event.streamId, event.type]), [['product-1', 'A']], 'the event appended')
})

t.test('a subscription sees appends made through another connection to the file', async t => {
  const file = await tempFile(t)
  const subscriber = openLog(t, file, { pollIntervalMs: 20 })
  const otherProcess = openLog(t, file)
  const controller = new AbortController()
  const received: RecordedEvent[] = []
  const consuming = (async () => {
    for await (const event of subscriber.subscribe({ signal: controller.signal })) {
      received.push(event)
      controller.abort()
    }
  })()
  t.teardown(() => controller.abort())
  await new Promise(resolve => setTimeout(resolve, 50))
  await otherProcess.append('product-1', [newEvent('A')], 'no_stream')
  t.ok(await settlesWithin(consuming, 2_000), 'within a few polls')
  t.same(received.map(event => event.type), ['A'], 'found by polling')
})

t.test('closing the log ends its live subscriptions', async t => {
  const log = new SqliteEventLog(await tempFile(t), { pollIntervalMs: 60_000 })
  let received = 0
  const consuming = (async () => {
    for await (const _event of log.subscribe()) received++
  })()
  await new Promise(resolve => setTimeout(resolve, 20))
  await log.close()
  t.ok(await settlesWithin(consuming, 1_000), 'the subscription ended within a second, not at the next poll a minute away')
  t.equal(received, 0, 'having delivered nothing')
})

t.test('group commit', async t => {
  t.test('the appends of one turn share one commit', async t => {
    const file = await tempFile(t)
    const log = openLog(t, file)
    const cli = new Database(file)
    t.teardown(() => cli.close())
    cli.pragma('wal_checkpoint(TRUNCATE)')

    const appends = Array.from({ length: 50 }, (_, n) => log.append(`product-${n}`, [newEvent('A', { n })], 'no_stream'))
    t.equal(await log.headPosition(), 0, 'nothing committed during the turn')
    const results = await Promise.all(appends)

    t.same(results.map(result => result.position), Array.from({ length: 50 }, (_, n) => n + 1), 'in the order called')
    const [{ log: frames }] = cli.pragma('wal_checkpoint(PASSIVE)') as [{ log: number }]
    t.ok(frames < appends.length, `${frames} WAL frames for ${appends.length} appends: each commit writes one at least, so fewer commits than appends`)
  })

  t.test('an append that fails in a group rolls back alone', async t => {
    const log = openLog(t, ':memory:')
    await log.append('product-0', [newEvent('A')], 'no_stream')

    const [before, refused, failed, after] = await Promise.allSettled([
      log.append('product-1', [newEvent('B')], 'no_stream'),
      log.append('product-0', [newEvent('C'), newEvent('D')], 5),
      // Its first event is written before its second one fails, as JSON cannot hold a bigint.
      log.append('product-3', [newEvent('E'), newEvent('F', { n: 1n })], 'no_stream'),
      log.append('product-2', [newEvent('G')], 'no_stream'),
    ])
    t.equal(before.status, 'fulfilled')
    t.equal(after.status, 'fulfilled')
    t.ok(refused.status === 'rejected' && refused.reason instanceof WrongExpectedRevision, 'WrongExpectedRevision')
    t.match(refused, { reason: { streamId: 'product-0', expected: 5, actual: 0 } })
    t.match(failed, { status: 'rejected', reason: { name: 'TypeError' } })
    t.same((await log.readStream('product-0')).map(event => event.type), ['A'], 'the refused append wrote nothing')
    t.same(await log.readStream('product-3'), [], 'the failed one neither, not even its first event')
    t.same((await collect(log.readAll())).map(event => event.type), ['A', 'B', 'G'], 'the others committed')
  })

  t.test('appends to one stream in a group see each other, and chain', async t => {
    const log = openLog(t, ':memory:')
    const outcomes = await Promise.allSettled([
      log.append('product-1', [newEvent('A'), newEvent('B')], 'no_stream'),
      log.append('product-1', [newEvent('C')], 1),
      log.append('product-1', [newEvent('D')], 1),
      log.append('product-1', [newEvent('E')], 'stream_exists'),
    ])
    t.match(outcomes, [
      { status: 'fulfilled', value: { nextRevision: 1, position: 2 } },
      { status: 'fulfilled', value: { nextRevision: 2, position: 3 } },
      { status: 'rejected', reason: { expected: 1, actual: 2 } },
      { status: 'fulfilled', value: { nextRevision: 3, position: 4 } },
    ])
    const stored = await log.readStream('product-1')
    t.same(stored.map(event => event.type), ['A', 'B', 'C', 'E'])
    t.equal((await verifyChains(stored)).broken, null, 'the chain verifies')
  })

  t.test('a retry in the same group returns the earlier result', async t => {
    const log = openLog(t, ':memory:')
    const batch = [newEvent('A'), newEvent('B')]
    const [first, again, anyAgain] = await Promise.all([
      log.append('product-1', batch, 'no_stream'),
      log.append('product-1', batch, 'no_stream'),
      log.append('product-1', batch, 'any'),
    ])
    t.same(first, { nextRevision: 1, position: 2 })
    t.same(again, first, 'with the same expected revision')
    t.same(anyAgain, first, "with 'any'")
    t.equal((await log.readStream('product-1')).length, 2, 'nothing written twice')
  })

  t.test('another process appending to the file at the same time', async t => {
    const file = await tempFile(t)
    const log = openLog(t, file)
    const theirs = appendFromAnotherProcess(file)
    await theirs.ready
    for (let round = 0; round < ROUNDS; round++) {
      await Promise.all([0, 1, 2, 3].map(() => log.append('shared', [newEvent('Ours')])))
      await new Promise(resolve => setTimeout(resolve, 1))
    }
    await theirs.done

    const stored = await collect(log.readAll())
    t.equal(stored.length, 2 * 4 * ROUNDS, 'every append of both processes stored')
    const switches = stored.filter((event, i) => i > 0 && event.type !== stored[i - 1]!.type).length
    t.ok(switches > 1, `the two writers took turns (${switches} times)`)
    t.equal((await verifyChains(stored)).broken, null, 'one chain through both writers')
  })

  t.test('close commits the appends still queued; appends after it reject', async t => {
    const file = await tempFile(t)
    const log = new SqliteEventLog(file)
    const queued = [log.append('product-1', [newEvent('A')], 'no_stream'), log.append('product-2', [newEvent('B')], 'no_stream')]
    await log.close()
    t.same(await Promise.all(queued), [
      { nextRevision: 0, position: 1 },
      { nextRevision: 0, position: 2 },
    ])
    await t.rejects(log.append('product-3', [newEvent('C')]), new TypeError('The database connection is not open'))
    t.equal(await openLog(t, file).headPosition(), 2, 'both stored')
  })

  t.test('when SQLite rolls the whole transaction back, every append of the group fails and none is stored', async t => {
    const log = openLog(t, await tempFile(t))
    await log.append('product-0', [newEvent('A')], 'no_stream')
    // A full disk, simulated by capping the file of the log's own connection at two more pages.
    const db = log['db']
    const pages = db.pragma('page_count', { simple: true }) as number
    db.pragma(`max_page_count = ${pages + 2}`)

    const outcomes = await Promise.allSettled([
      log.append('product-1', [newEvent('B')], 'no_stream'),
      log.append('product-2', [newEvent('Big', { text: 'x'.repeat(100_000) })], 'no_stream'),
      log.append('product-3', [newEvent('C')], 'no_stream'),
    ])
    t.match(outcomes, Array(3).fill({ status: 'rejected', reason: { code: 'SQLITE_FULL' } }))
    t.equal(await log.headPosition(), 1, 'none stored, not even the append after the failing one')

    db.pragma(`max_page_count = ${2 ** 30}`)
    t.same(await log.append('product-3', [newEvent('C')], 'no_stream'), { nextRevision: 0, position: 2 }, 'and the log goes on')
  })
})

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = []
  for await (const item of iterable) items.push(item)
  return items
}

/** Rounds of 4 concurrent appends, then a pause, by each of the two processes writing to one file. */
const ROUNDS = 100

/** Opens the log file in a child process, as the audit CLI would, and appends ROUNDS rounds to the stream
 *  'shared' once `ready`; `done` rejects unless every append succeeded. */
function appendFromAnotherProcess(file: string): { ready: Promise<void>; done: Promise<void> } {
  const script = `
    const [sqlite, contract, file, rounds] = process.argv.slice(1)
    const { SqliteEventLog } = await import(sqlite)
    const { newEvent } = await import(contract)
    const log = new SqliteEventLog(file)
    console.log('ready')
    for (let round = 0; round < Number(rounds); round++) {
      await Promise.all([0, 1, 2, 3].map(() => log.append('shared', [newEvent('Theirs')])))
      await new Promise(resolve => setTimeout(resolve, 1))
    }
    await log.close()`
  const modules = ['./sqlite.ts', './testing/eventLog.contract.ts'].map(path => new URL(path, import.meta.url).href)
  const child = spawn(process.execPath, ['--import=tsx', '--input-type=module', '-e', script, ...modules, file, String(ROUNDS)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const done = new Promise<void>((resolve, reject) =>
    child.on('exit', code => (code === 0 ? resolve() : reject(new Error(`the other process exited with ${code}`)))),
  )
  const ready = new Promise<void>(resolve => child.stdout.once('data', () => resolve()))
  return { ready: Promise.race([ready, done]), done }
}
