/**
 * Suite 6, Kafka publishing (only with KAFKA_BROKERS): the publisher's events/s with kafkajs (what
 * adapters/production/kafkaBus.ts uses, the baseline) against @platformatic/kafka and
 * @confluentinc/kafka-javascript, on the same broker and the same events: once as the publisher projection
 * sends them (one event per send, acknowledged before the next), once in batches. A client that cannot be
 * installed here is recorded as such instead of a figure.
 */
import { newDataDir } from '../lib/config.ts'
import { deleteTopics, KAFKA_CLIENTS, unavailable, type KafkaClient } from '../lib/kafkaClients.ts'
import { runWorker } from '../lib/processes.ts'
import { compare, missing, plain, type Figure } from '../lib/results.ts'
import { asBrand, brandSpec, consumerSpec, registerUsers, seedMixedLog } from '../lib/seed.ts'
import type { Suite } from '../lib/suite.ts'
import type { WorkerResult } from '../worker.ts'

/** What the npm install of a client that does not load said, found when this suite was written. */
const WHY_NOT_INSTALLED: Partial<Record<KafkaClient, string>> = {
  '@confluentinc/kafka-javascript':
    'not installable on this machine: its install script fetches a prebuilt librdkafka binding from github.com, and the build-from-source fallback downloads zlib, OpenSSL, zstd and curl sources; only the npm registry is reachable here',
}

export const kafkaSuite: Suite = {
  id: 'kafka',
  title: '6. Kafka publishing',
  async run(ctx) {
    const { options } = ctx
    if (options.kafkaBrokers.length === 0) {
      return { params: {}, figures: [], notes: [], skipped: 'KAFKA_BROKERS is not set (scripts/stack/up.sh starts a broker on 127.0.0.1:9092)' }
    }
    const dir = await newDataDir('kafka', options.dataRoot, options.keep)
    const topics: string[] = []
    try {
      const [brand, ...consumers] = await registerUsers(dir.path, [brandSpec('Atelier Kafka'), consumerSpec('Paula'), consumerSpec('Rui')])
      await seedMixedLog(dir.path, asBrand(brand!), consumers.map(user => user.userId), options.kafkaEvents)

      const measured = new Map<string, WorkerResult>()
      const absent = new Map<KafkaClient, string>()
      const run = `${Date.now().toString(36)}`
      for (const client of KAFKA_CLIENTS) {
        const why = await unavailable(client)
        if (why) {
          absent.set(client, WHY_NOT_INSTALLED[client] ?? why)
          continue
        }
        for (const mode of ['publisher', 'batched'] as const) {
          const topic = `ptvem-bench-${run}-${client.replace(/\W+/g, '-')}-${mode}`
          topics.push(topic)
          const result = await runWorker({ kind: 'kafkaPublish', dataDir: dir.path, client, brokers: options.kafkaBrokers, topic, mode, batch: options.kafkaBatch })
          measured.set(`${client} ${mode}`, result)
          ctx.log(`${client}, ${mode}: ${Math.round(result.eventsPerSecond).toLocaleString('en-US')} events/s`)
        }
      }

      const figures: Figure[] = []
      for (const mode of ['publisher', 'batched'] as const) {
        const label = mode === 'publisher' ? 'publisher (one send per runner batch)' : `batches of ${options.kafkaBatch}`
        const baseline = measured.get(`kafkajs ${mode}`)
        for (const client of KAFKA_CLIENTS) {
          const name = `${client}, ${label}`
          const result = measured.get(`${client} ${mode}`)
          if (!result) figures.push(missing(name, 'events/s', absent.get(client) ?? 'not measured'))
          else if (client === 'kafkajs' || !baseline) figures.push(plain(name, result.eventsPerSecond, 'events/s'))
          else figures.push(compare(name, result.eventsPerSecond, 'events/s', { name: `kafkajs, ${label}`, value: baseline.eventsPerSecond }))
        }
      }
      const events = [...measured.values()][0]?.events ?? 0
      return {
        params: { brokers: options.kafkaBrokers.join(','), events, batch: options.kafkaBatch },
        figures,
        notes: [
          `The same ${events.toLocaleString('en-US')} events (a seeded log: creations, QR codes, transfers, claims, consents) to a new one-partition topic per client and mode, each run in a fresh process, on the broker at ${options.kafkaBrokers.join(',')}.`,
          'Every client as the app configures kafkajs: idempotent producer, acks from all in-sync replicas, key = stream id, eventId/type/position headers, value = the stored event as JSON (projectors/publisher.ts).',
          `Publisher: the publisher projection in a ProjectionRunner over the log (what the app runs): the events of each runner batch (up to 4,000) in one publish, in requests of at most 512 KB, each acknowledged before the next. Batches: the same messages from memory, ${options.kafkaBatch} per send, one send at a time.`,
          ...[...absent].map(([client, why]) => `${client}: ${why}.`),
        ],
        details: Object.fromEntries(measured),
      }
    } finally {
      if (topics.length) await deleteTopics(options.kafkaBrokers, topics).catch(error => ctx.log(`could not delete the bench topics: ${(error as Error).message}`))
      await dir.remove()
    }
  },
}
