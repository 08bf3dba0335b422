import { randomUUID } from 'node:crypto'
import { Kafka } from 'kafkajs'
import t from 'tap'
import { busContract } from '../testing/bus.contract.ts'
import { serverSettings } from '../testing/servers.ts'
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
  t.test('a publish larger than a Kafka request goes in several, all delivered in order', async t => {
    const topic = `ptvem-test-${randomUUID()}`
    topics.push(topic)
    const bus = await KafkaBus.connect({ brokers, topic, partitions: 1 })
    t.teardown(() => bus.close())
    const value = 'x'.repeat(1024)
    const messages = Array.from({ length: 1500 }, (_, index) => ({ key: 'product-p1', eventId: `e${index}`, type: 'T', position: index + 1, value }))
    await bus.publish(messages)
    const received: number[] = []
    const stop = new AbortController()
    await bus.consume('big-publish', async message => {
      received.push(message.position)
      if (received.length === messages.length) stop.abort()
    }, stop.signal)
    t.strictSame(received, messages.map(message => message.position))
  })

  t.teardown(async () => {
    const admin = new Kafka({ brokers }).admin()
    await admin.connect()
    await admin.deleteTopics({ topics })
    await admin.disconnect()
  })
}
