import { randomUUID } from 'node:crypto'
import t from 'tap'
import { busContract } from '../contracts/bus.contract.ts'
import { serverSettings } from '../contracts/servers.ts'
import { KafkaBus } from './kafkaBus.ts'

const settings = serverSettings(t, ['KAFKA_BROKERS'])
if (settings) {
  busContract(t, () =>
    KafkaBus.connect({ brokers: settings.KAFKA_BROKERS.split(','), topic: `ptvem-test-${randomUUID()}`, partitions: 3 }),
  )
}
