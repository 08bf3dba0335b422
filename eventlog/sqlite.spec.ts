import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { eventLogContract, newEvent } from './contract.ts'
import { verifyChains } from './hashChain.ts'
import type { RecordedEvent } from './port.ts'
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

function openLog(t: Test, file: string, options?: SqliteEventLogOptions): SqliteEventLog {
  const log = new SqliteEventLog(file, options)
  t.teardown(() => log.close())
  return log
}

eventLogContract(t, 'SqliteEventLog', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ptvem-eventlog-'))
  const log = new SqliteEventLog(join(dir, 'events.db'))
  return {
    log,
    cleanup: async () => {
      await log.close()
      await rm(dir, { recursive: true, force: true })
    },
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

t.test('with any, a batch found anywhere in its stream is a retry', async t => {
  const log = openLog(t, await tempFile(t))
  const batch = [newEvent('A'), newEvent('B')]
  const first = await log.append('product-1', batch, 'any')
  await log.append('product-1', [newEvent('C')], 'any')
  t.same(await log.append('product-1', batch, 'any'), first)
  t.equal((await log.readStream('product-1')).length, 3)
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
