/**
 * Measurements without HTTP, each in a fresh process (forked by lib/processes.ts) so that its peak RSS is
 * its own: catching up and rebuilding the read models, a plain read of the log, raw appends to the log,
 * loading product streams, publishing the log to Kafka, and raw inserts and reads on a MongoDB server.
 */
import { join } from 'node:path'
import { SqliteEventLog } from '../eventlog/sqlite.ts'
import { SqliteReadModelStore } from '../readmodels/sqlite.ts'
import { SqliteKeyStore } from '../adapters/embedded/sqliteKeyStore.ts'
import { cachedKeyStore } from '../adapters/cachedKeyStore.ts'
import { encryptingEventLog } from '../adapters/personalData.ts'
import type { IntegrationBus, IntegrationMessage } from '../adapters/ports.ts'
import { ProjectionRunner } from '../projectors/runner.ts'
import { publisherProjection, toIntegrationMessage } from '../projectors/publisher.ts'
import { streams } from '../domain/ids.ts'
import { fold } from '../domain/decider.ts'
import { productDecider, type ProductEvent } from '../domain/product/index.ts'
import { dataFiles, type AppEnv } from './lib/config.ts'
import { caughtUp, startBenchService } from './lib/service.ts'
import { transferred } from './lib/events.ts'
import { connectPublisher, type KafkaClient } from './lib/kafkaClients.ts'
import { msSince } from './lib/stats.ts'
import { rawFindOne, rawInsertMany } from './lib/mongoBaselines.ts'

export type WorkerTask =
  /** Empties every read model and replays the whole log into them (ProjectionRunner.rebuild, all projections). */
  | { kind: 'rebuild'; dataDir: string }
  /**
   * Starts the embedded service (app/embedded.ts), or the service with the production servers `env` names for
   * the read models and the cache, and waits until every projector (the QR cache and the publisher too) has
   * caught up with the log.
   */
  | { kind: 'catchUp'; dataDir: string; env?: AppEnv }
  /** Reads the whole log in order (SqliteEventLog.readAll), touching each event, and nothing else. */
  | { kind: 'readAll'; dataDir: string }
  /**
   * Appends one OwnershipTransferred per append, with its expected revision, to the given products in turn,
   * for `seconds` (or `count` appends): what a transfer writes, without HTTP, auth, read or decide. With
   * `concurrency` appenders (1 by default), each taking its own share of the products and awaiting each of its
   * appends before the next, as that many clients would.
   */
  | { kind: 'rawAppend'; dataDir: string; productIds: string[]; users: [string, string]; seconds?: number; count?: number; concurrency?: number }
  /**
   * Publishes the whole log to a new topic with one Kafka client: as the publisher projection does (a runner
   * over the log, one send per runner batch, each acknowledged before the next), or straight from memory in batches.
   */
  | { kind: 'kafkaPublish'; dataDir: string; client: KafkaClient; brokers: string[]; topic: string; mode: 'publisher' | 'batched'; batch: number }
  /** Times loading each stream (see StreamReadTiming), `repeat` times. */
  | { kind: 'streamRead'; dataDir: string; streamIds: string[]; repeat: number }
  /** Inserts `count` copies of a collection's documents into a new one with insertMany (lib/mongoBaselines.ts). */
  | { kind: 'rawInsertMany'; mongodbUrl: string; collection: string; count: number }
  /** Reads a collection's documents by random _id with findOne, `concurrency` at a time (lib/mongoBaselines.ts). */
  | { kind: 'rawFindOne'; mongodbUrl: string; collection: string; seconds: number; concurrency: number }

/** Loading one product stream as the command handler does: read (raw), read and decrypt, then fold. */
export interface StreamReadTiming {
  streamId: string
  events: number
  /** Medians over the repetitions, ms. */
  readRawMs: number
  readDecryptedMs: number
  foldMs: number
}

export interface WorkerResult {
  events: number
  seconds: number
  eventsPerSecond: number
  maxRssMb: number
  /** Per-append latencies of rawAppend, ms: p50 and p99. */
  latency?: { p50: number; p99: number }
  streams?: StreamReadTiming[]
}

async function rebuild(dataDir: string) {
  const files = dataFiles(dataDir)
  const rawEventLog = new SqliteEventLog(files.events)
  const keys = cachedKeyStore(new SqliteKeyStore(files.keys))
  const eventLog = encryptingEventLog(rawEventLog, keys)
  const store = new SqliteReadModelStore(files.readModels)
  const runner = new ProjectionRunner({ eventLog, store, onError: error => console.error('projection failed', error) })
  try {
    const head = await rawEventLog.headPosition()
    const start = process.hrtime.bigint()
    await runner.rebuild()
    return { events: head, ms: msSince(start) }
  } finally {
    await runner.stop()
    await store.close()
    await keys.close()
    await rawEventLog.close()
  }
}

async function catchUp(dataDir: string, env?: AppEnv) {
  const service = await startBenchService(dataDir, 'warn', env)
  try {
    const head = await service.ctx.rawEventLog.headPosition()
    const start = process.hrtime.bigint()
    if (!(await caughtUp(service, head, 60 * 60_000))) throw new Error('the projections did not catch up within an hour')
    return { events: head, ms: msSince(start) }
  } finally {
    await service.close()
  }
}

async function readAll(dataDir: string) {
  const log = new SqliteEventLog(dataFiles(dataDir).events)
  try {
    const start = process.hrtime.bigint()
    let events = 0
    let check = 0
    for await (const event of log.readAll()) {
      events++
      check += event.revision
    }
    if (check < 0) throw new Error('unreachable')
    return { events, ms: msSince(start) }
  } finally {
    await log.close()
  }
}

async function rawAppend({ dataDir, productIds, users, seconds, count, concurrency = 1 }: Extract<WorkerTask, { kind: 'rawAppend' }>) {
  const log = new SqliteEventLog(dataFiles(dataDir).events)
  try {
    if (productIds.length < concurrency) throw new Error(`${concurrency} appenders need as many products, got ${productIds.length}`)
    // Where each stream is, and who owns the product, before the clock starts.
    const heads = await Promise.all(
      productIds.map(async productId => {
        const [last] = await log.readStream(streams.product(productId), { direction: 'backwards', maxCount: 1 })
        const owner = last?.type === 'OwnershipTransferred' ? (last.data.toUserId as string) : users[0]
        return { productId, revision: last?.revision ?? -1, owner }
      }),
    )
    const latencies: number[] = []
    const limitMs = (seconds ?? Infinity) * 1000
    const maxCount = count ?? Infinity
    let appended = 0
    const start = process.hrtime.bigint()
    // Appender k takes products k, k + concurrency, k + 2 × concurrency, … in turn: no product is shared.
    const appender = async (k: number) => {
      const mine = heads.filter((_, i) => i % concurrency === k)
      for (let i = 0; appended < maxCount && msSince(start) < limitMs; i = (i + 1) % mine.length) {
        const head = mine[i]!
        const to = head.owner === users[0] ? users[1] : users[0]
        const began = process.hrtime.bigint()
        const event = transferred(head.productId, head.owner, to, appended)
        appended++
        const result = await log.append(streams.product(head.productId), [event], head.revision)
        latencies.push(msSince(began))
        head.revision = result.nextRevision
        head.owner = to
      }
    }
    await Promise.all(Array.from({ length: concurrency }, (_, k) => appender(k)))
    const ms = msSince(start)
    latencies.sort((a, b) => a - b)
    const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? Number.NaN
    return { events: appended, ms, latency: { p50: at(50), p99: at(99) } }
  } finally {
    await log.close()
  }
}

async function streamRead({ dataDir, streamIds, repeat }: Extract<WorkerTask, { kind: 'streamRead' }>) {
  const files = dataFiles(dataDir)
  const rawEventLog = new SqliteEventLog(files.events)
  const keys = cachedKeyStore(new SqliteKeyStore(files.keys))
  const eventLog = encryptingEventLog(rawEventLog, keys)
  const median = (values: number[]) => values.sort((x, y) => x - y)[Math.floor(values.length / 2)]!
  const timed = async <T>(work: () => Promise<T> | T): Promise<[T, number]> => {
    const start = process.hrtime.bigint()
    const value = await work()
    return [value, msSince(start)]
  }
  try {
    const start = process.hrtime.bigint()
    const streamsRead: StreamReadTiming[] = []
    let events = 0
    for (const streamId of streamIds) {
      const raw: number[] = []
      const decrypted: number[] = []
      const folds: number[] = []
      let length = 0
      for (let i = 0; i < repeat; i++) {
        raw.push((await timed(() => rawEventLog.readStream(streamId)))[1])
        const [recorded, ms] = await timed(() => eventLog.readStream(streamId))
        decrypted.push(ms)
        folds.push((await timed(() => fold(productDecider, recorded as unknown as ProductEvent[])))[1])
        length = recorded.length
      }
      events += length * repeat
      streamsRead.push({ streamId, events: length, readRawMs: median(raw), readDecryptedMs: median(decrypted), foldMs: median(folds) })
    }
    return { events, ms: msSince(start), streams: streamsRead }
  } finally {
    await keys.close()
    await rawEventLog.close()
  }
}

async function kafkaPublish({ dataDir, client, brokers, topic, mode, batch }: Extract<WorkerTask, { kind: 'kafkaPublish' }>) {
  const log = new SqliteEventLog(dataFiles(dataDir).events)
  const publisher = await connectPublisher(client, brokers, topic)
  const bus: IntegrationBus = {
    publish: messages => publisher.publish(messages),
    consume: () => Promise.reject(new Error('the benchmark only publishes')),
    close: () => publisher.close(),
  }
  try {
    const head = await log.headPosition()
    if (mode === 'batched') {
      const messages: IntegrationMessage[] = []
      for await (const event of log.readAll()) messages.push(toIntegrationMessage(event))
      const start = process.hrtime.bigint()
      for (let i = 0; i < messages.length; i += batch) await bus.publish(messages.slice(i, i + batch))
      return { events: messages.length, ms: msSince(start) }
    }
    const store = new SqliteReadModelStore(join(dataDir, `publisher-${client.replace(/\W+/g, '-')}.sqlite`))
    // The runner retries a failed publish for ever; the benchmark stops at the first failure instead.
    let failure: unknown
    const runner = new ProjectionRunner({ eventLog: log, store, projections: [publisherProjection(bus)], onError: error => (failure ??= error) })
    try {
      const start = process.hrtime.bigint()
      await runner.start()
      while (!(await runner.waitForPosition(head, 250))) if (failure) throw failure
      return { events: head, ms: msSince(start) }
    } finally {
      await runner.stop()
      await store.close()
    }
  } finally {
    await bus.close()
    await log.close()
  }
}

type Outcome = { events: number; ms: number; latency?: WorkerResult['latency']; streams?: StreamReadTiming[] }

function perform(task: WorkerTask): Promise<Outcome> {
  switch (task.kind) {
    case 'rebuild':
      return rebuild(task.dataDir)
    case 'catchUp':
      return catchUp(task.dataDir, task.env)
    case 'readAll':
      return readAll(task.dataDir)
    case 'rawAppend':
      return rawAppend(task)
    case 'streamRead':
      return streamRead(task)
    case 'kafkaPublish':
      return kafkaPublish(task)
    case 'rawInsertMany':
      return rawInsertMany(task.mongodbUrl, task.collection, task.count)
    case 'rawFindOne':
      return rawFindOne(task.mongodbUrl, task.collection, task.seconds, task.concurrency)
  }
}

async function run(task: WorkerTask): Promise<WorkerResult> {
  const outcome = await perform(task)
  const seconds = outcome.ms / 1000
  return {
    events: outcome.events,
    seconds,
    eventsPerSecond: outcome.events / seconds,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    ...(outcome.latency && { latency: outcome.latency }),
    ...(outcome.streams && { streams: outcome.streams }),
  }
}

process.once('message', (message: { type: string; task: WorkerTask }) => {
  run(message.task).then(
    result => {
      process.send!({ type: 'done', result }, () => process.disconnect())
    },
    (error: Error) => {
      process.send!({ type: 'error', message: error.message, stack: error.stack }, () => process.exit(1))
    },
  )
})
