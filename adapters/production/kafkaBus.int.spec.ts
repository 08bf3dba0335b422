import { randomUUID } from 'node:crypto'
import { Kafka } from 'kafkajs'
import t from 'tap'
import { busContract } from '../contracts/bus.contract.ts'
import { serverSettings } from '../contracts/servers.ts'
import { KafkaBus } from './kafkaBus.ts'

const settings = serverSettings(t, ['KAFKA_BROKERS'])
if (settings) {
  const brokers = settings.KAFKA_BROKERS.split(',')
  const topics: string[] = []
  busContract(t, () => {
    const topic = `ptvem-test-${randomUUID()}`
    topics.push(topic)
    return KafkaBus.connect({ brokers, topic, partitions: 3 })
  })
  t.teardown(async () => {
    const admin = new Kafka({ brokers }).admin()
    await admin.connect()
    await admin.deleteTopics({ topics })
    await admin.disconnect()
  })
}
