import { Kafka, logLevel, Partitioners, type Consumer, type IHeaders, type KafkaMessage, type Producer } from 'kafkajs'
import type { IntegrationBus, IntegrationMessage } from '../ports.ts'

export interface KafkaBusOptions {
  brokers: string[]
  topic?: string
  clientId?: string
  /** Used only when the topic does not exist yet. */
  partitions?: number
}

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

  private constructor(
    readonly kafka: Kafka,
    readonly producer: Producer,
    readonly topic: string,
  ) {}

  static async connect({ brokers, topic = 'ptvem.events', clientId = 'ptvem', partitions = 6 }: KafkaBusOptions): Promise<KafkaBus> {
    const kafka = new Kafka({ clientId, brokers, logLevel: logLevel.WARN })
    const admin = kafka.admin()
    await admin.connect()
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true })
    } finally {
      await admin.disconnect()
    }
    // kafkajs implements KIP-98's original idempotence rule (one request in flight), not the Java client's five.
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner })
    await producer.connect()
    return new KafkaBus(kafka, producer, topic)
  }

  /** In requests of at most REQUEST_BYTES of values, one after the other, so that order holds. */
  async publish(messages: readonly IntegrationMessage[]): Promise<void> {
    for (const chunk of chunksOf(messages)) {
      await this.producer.send({
        topic: this.topic,
        acks: -1,
        messages: chunk.map(({ key, eventId, type, position, value }) => ({
          key,
          value,
          headers: { eventId, type, position: String(position) },
        })),
      })
    }
  }

  async consume(group: string, handler: (message: IntegrationMessage) => Promise<void>, signal?: AbortSignal): Promise<void> {
    const stop = signal ? AbortSignal.any([signal, this.#closed.signal]) : this.#closed.signal
    if (stop.aborted) return
    // kafkajs's default restart backoff leaves a consumer idle for most of a minute after a broker outage.
    // A group per topic: members of one group subscribed to different topics (two deployments on one broker) get
    // partitions only of the topics the group's leader subscribes to.
    const consumer = this.kafka.consumer({ groupId: `${group}.${this.topic}`, retry: { maxRetryTime: 5000 } })
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
    await this.producer.disconnect()
  }

  async #run(consumer: Consumer, handler: (message: IntegrationMessage) => Promise<void>, stop: AbortSignal): Promise<void> {
    const stopped = new Promise<void>((resolve, reject) => {
      stop.addEventListener('abort', () => resolve(), { once: true })
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (!payload.restart) reject(payload.error)
      })
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
            await handler(toIntegrationMessage(message))
            await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }])
          })()
          await handling
        },
      })
      await stopped
      await handling.catch(() => {})
    } finally {
      await consumer.disconnect()
    }
  }
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
