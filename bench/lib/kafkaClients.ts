/**
 * The integration bus's publish side on each Kafka client compared by suite 6, with the same settings as
 * adapters/production/kafkaBus.ts (idempotent producer, acks from all in-sync replicas, key = stream id,
 * eventId/type/position headers), so that only the client differs.
 */
import { Kafka, logLevel } from 'kafkajs'
import type { IntegrationBus, IntegrationMessage } from '../../adapters/ports.ts'
import { chunksOf, KafkaBus } from '../../adapters/production/kafkaBus.ts'

export const KAFKA_CLIENTS = ['kafkajs', '@platformatic/kafka', '@confluentinc/kafka-javascript'] as const
export type KafkaClient = (typeof KAFKA_CLIENTS)[number]

/** Publishing only: the suite never consumes. */
type Publisher = Pick<IntegrationBus, 'publish' | 'close'>

const headersOf = ({ eventId, type, position }: IntegrationMessage) => ({ eventId, type, position: String(position) })

/** One partition, as app/production.ts creates the topic (it keeps the log's order). */
export async function createTopic(brokers: string[], topic: string): Promise<void> {
  const admin = new Kafka({ clientId: 'ptvem-bench-admin', brokers, logLevel: logLevel.WARN }).admin()
  await admin.connect()
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true })
  } finally {
    await admin.disconnect()
  }
}

export async function deleteTopics(brokers: string[], topics: string[]): Promise<void> {
  const admin = new Kafka({ clientId: 'ptvem-bench-admin', brokers, logLevel: logLevel.WARN }).admin()
  await admin.connect()
  try {
    await admin.deleteTopics({ topics })
  } finally {
    await admin.disconnect()
  }
}

async function platformatic(brokers: string[], topic: string): Promise<Publisher> {
  const { Producer, ProduceAcks, stringSerializers } = await import('@platformatic/kafka')
  const producer = new Producer({ clientId: 'ptvem-bench', bootstrapBrokers: brokers, idempotent: true, acks: ProduceAcks.ALL, serializers: stringSerializers })
  return {
    // In requests the broker accepts, as KafkaBus sends them: a runner batch of 4,000 events exceeds message.max.bytes.
    async publish(messages) {
      for (const chunk of chunksOf(messages)) {
        await producer.send({ messages: chunk.map(message => ({ topic, key: message.key, value: message.value, headers: headersOf(message) })) })
      }
    },
    close: () => producer.close(),
  }
}

/** The package is loaded by name at run time, so that the benchmark builds without it. */
async function confluent(brokers: string[], topic: string): Promise<Publisher> {
  const name = '@confluentinc/kafka-javascript'
  const { KafkaJS } = (await import(name)) as {
    KafkaJS: { Kafka: new (config: object) => { producer(config: object): { connect(): Promise<void>; send(record: object): Promise<unknown>; disconnect(): Promise<void> } } }
  }
  const producer = new KafkaJS.Kafka({ kafkaJS: { brokers, logLevel: 1 } }).producer({ kafkaJS: { idempotent: true, acks: -1 } })
  await producer.connect()
  return {
    async publish(messages) {
      for (const chunk of chunksOf(messages)) {
        await producer.send({ topic, messages: chunk.map(message => ({ key: message.key, value: message.value, headers: headersOf(message) })) })
      }
    },
    close: () => producer.disconnect(),
  }
}

export async function connectPublisher(client: KafkaClient, brokers: string[], topic: string): Promise<Publisher> {
  // KafkaBus creates its topic itself; the other clients get the same one-partition topic created for them.
  if (client !== 'kafkajs') await createTopic(brokers, topic)
  switch (client) {
    case 'kafkajs':
      return KafkaBus.connect({ brokers, topic, partitions: 1, clientId: 'ptvem-bench' })
    case '@platformatic/kafka':
      return platformatic(brokers, topic)
    case '@confluentinc/kafka-javascript':
      return confluent(brokers, topic)
  }
}

/** Why a client cannot be measured on this machine, or null when it loads. */
export async function unavailable(client: KafkaClient): Promise<string | null> {
  try {
    const name: string = client
    await import(name)
    return null
  } catch (error) {
    return `cannot be loaded (${(error as Error).message.split('\n')[0]})`
  }
}
