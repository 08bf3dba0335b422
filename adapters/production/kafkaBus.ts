import { setTimeout as delay } from 'node:timers/promises'
import { Kafka, logLevel, Partitioners, type Consumer, type IHeaders, type KafkaMessage, type Producer } from 'kafkajs'
import type { IntegrationBus, IntegrationMessage } from '../ports.ts'

export interface KafkaBusOptions {
  brokers: string[]
  topic?: string
  clientId?: string
  /** Used only when the topic does not exist yet. */
  partitions?: number
}

/** Longest a consumer may go without a fetch answered or a message handled (kafkajs fetches every 5 s when idle). */
const STALL_MS = 20_000

/** Below the broker's default limit of 1 MB a request (message.max.bytes), headers and keys included. */
const REQUEST_BYTES = 512 * 1024

/** Messages in requests of at most REQUEST_BYTES of values, in order. */
export function* chunksOf(messages: readonly IntegrationMessage[]): Generator<IntegrationMessage[]> {
  let chunk: IntegrationMessage[] = []
  let bytes = 0
  for (const message of messages) {
    const size = Buffer.byteLength(message.value)
    if (chunk.length > 0 && bytes + size > REQUEST_BYTES) {
      yield chunk
      chunk = []
      bytes = 0
    }
    chunk.push(message)
    bytes += size
  }
  if (chunk.length > 0) yield chunk
}

/**
 * Integration events on one Kafka topic, keyed by stream id so one product's events keep their order.
 * The producer is idempotent with acks from all in-sync replicas; a consumer group commits a message's
 * offset only after its handler resolves, so a failed or interrupted handler sees the message again.
 */
export class KafkaBus implements IntegrationBus {
  readonly #closed = new AbortController()
  readonly #consuming = new Set<Promise<void>>()

  /** Null after a failed send: the next publish connects a new one. */
  #producer: Producer | null

  private constructor(
    readonly kafka: Kafka,
    producer: Producer,
    readonly topic: string,
  ) {
    this.#producer = producer
  }

  static async connect({ brokers, topic = 'ptvem.events', clientId = 'ptvem', partitions = 6 }: KafkaBusOptions): Promise<KafkaBus> {
    const kafka = new Kafka({ clientId, brokers, logLevel: logLevel.WARN })
    const admin = kafka.admin()
    await admin.connect()
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true })
    } finally {
      await admin.disconnect()
    }
    return new KafkaBus(kafka, await connectedProducer(kafka), topic)
  }

  /**
   * In requests of at most REQUEST_BYTES of values, one after the other, so that order holds. After a failed send
   * the producer is replaced: an idempotent producer that lost the broker can be out of step with it for good (every
   * send after a broker restart refused as "out of order sequence number", seen in the Kafka fault spec), and a new
   * one starts a new sequence under a new producer id. What the caller sends again may then be stored twice.
   */
  async publish(messages: readonly IntegrationMessage[]): Promise<void> {
    const producer = (this.#producer ??= await connectedProducer(this.kafka))
    try {
      for (const chunk of chunksOf(messages)) {
        await producer.send({
          topic: this.topic,
          acks: -1,
          messages: chunk.map(({ key, eventId, type, position, value }) => ({
            key,
            value,
            headers: { eventId, type, position: String(position) },
          })),
        })
      }
    } catch (error) {
      if (this.#producer === producer) this.#producer = null
      await producer.disconnect().catch(() => {})
      throw error
    }
  }

  async consume(group: string, handler: (message: IntegrationMessage) => Promise<void>, signal?: AbortSignal): Promise<void> {
    const stop = signal ? AbortSignal.any([signal, this.#closed.signal]) : this.#closed.signal
    if (stop.aborted) return
    // A group per topic: members of one group subscribed to different topics (two deployments on one broker) get
    // partitions only of the topics the group's leader subscribes to. A consumer that crashes is not restarted by
    // kafkajs: after a broker restart, one it restarted rejoined its group and then fetched nothing (the Kafka
    // fault spec); consume() fails instead, and its caller starts a fresh consumer. kafkajs's default retry
    // backoff leaves a consumer idle for most of a minute after a broker outage.
    const consumer = this.kafka.consumer({
      groupId: `${group}.${this.topic}`,
      retry: { maxRetryTime: 5000, restartOnFailure: async () => false },
    })
    const consuming = this.#run(consumer, handler, stop)
    this.#consuming.add(consuming)
    try {
      await consuming
    } finally {
      this.#consuming.delete(consuming)
    }
  }

  async close(): Promise<void> {
    this.#closed.abort()
    await Promise.allSettled(this.#consuming)
    await this.#producer?.disconnect()
  }

  async #run(consumer: Consumer, handler: (message: IntegrationMessage) => Promise<void>, stop: AbortSignal): Promise<void> {
    // A consumer that neither fetched nor handled anything for STALL_MS has stalled (kafkajs can, joined to its
    // group after a broker restart: the Kafka fault spec); it fails, and its caller starts a fresh one.
    let alive = Date.now()
    const live = () => {
      alive = Date.now()
    }
    let watchdog: NodeJS.Timeout | undefined
    let stage = 'joining'
    const stopped = new Promise<void>((resolve, reject) => {
      stop.addEventListener('abort', () => resolve(), { once: true })
      consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error))
      consumer.on(consumer.events.FETCH, () => {
        if (!stage.startsWith('handling') && !stage.startsWith('committing')) live()
      })
      watchdog = setInterval(() => {
        if (Date.now() - alive > STALL_MS) reject(new Error(`the consumer of ${this.topic} made no progress for ${STALL_MS / 1000} s (${stage})`))
      }, 1000)
    })
    stopped.catch(() => {}) // awaited below; this only keeps an early crash from counting as unhandled
    // kafkajs skips commits once disconnect has begun, so the last handled message is committed before it.
    let handling: Promise<void> = Promise.resolve()
    try {
      await consumer.connect()
      await consumer.subscribe({ topic: this.topic, fromBeginning: true })
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ topic, partition, message }) => {
          // Left uncommitted: the group's next consumer gets it.
          if (stop.aborted) return
          handling = (async () => {
            stage = `handling offset ${message.offset}`
            await handler(toIntegrationMessage(message))
            stage = `committing offset ${message.offset}`
            await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }])
            stage = `handled offset ${message.offset}`
          })()
          await handling
          live()
        },
      })
      await stopped
      await handling.catch(() => {})
    } finally {
      clearInterval(watchdog)
      // A stalled consumer may never finish disconnecting: its group evicts it once its heartbeats stop.
      await Promise.race([consumer.disconnect(), delay(STALL_MS)])
    }
  }
}

async function connectedProducer(kafka: Kafka): Promise<Producer> {
  // kafkajs implements KIP-98's original idempotence rule (one request in flight), not the Java client's five.
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner })
  await producer.connect()
  return producer
}

const header = (headers: IHeaders | undefined, name: string): string => {
  const value = headers?.[name]
  return (Array.isArray(value) ? value[0] : value)?.toString() ?? ''
}

const toIntegrationMessage = ({ key, value, headers }: KafkaMessage): IntegrationMessage => ({
  key: key?.toString() ?? '',
  eventId: header(headers, 'eventId'),
  type: header(headers, 'type'),
  position: Number(header(headers, 'position')),
  value: value?.toString() ?? '',
})
