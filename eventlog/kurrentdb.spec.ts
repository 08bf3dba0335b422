import { randomUUID } from 'node:crypto'
import { KurrentDBClient, binaryEvent, jsonEvent } from '@kurrent/kurrentdb-client'
import t from 'tap'
import { eventLogContract } from './testing/eventLog.contract.ts'
import { KurrentEventLog } from './kurrentdb.ts'
import { kurrentAdapterSuite, type KurrentServer } from './testing/kurrentdbSuite.ts'

const url = process.env.EVENTSTORE_URL
const required = process.env.CI === 'true' && process.env.EVENTSTORE_REQUIRED === 'true'

/** A second connection, acting behind the adapter's back as another program or an operator would. */
function otherProgram(url: string): KurrentServer & { close: () => Promise<void> } {
  const client = KurrentDBClient.connectionString(url)
  return {
    tombstone: async streamId => void (await client.tombstoneStream(streamId)),
    softDelete: async streamId => void (await client.deleteStream(streamId)),
    setMaxCount: async (streamId, maxCount) => void (await client.setStreamMetadata(streamId, { maxCount })),
    writeForeignEvents: async () => {
      await client.appendToStream(`foreign-${randomUUID()}`, [
        binaryEvent({ type: 'Blob', data: new Uint8Array([0, 1, 255]) }),
        jsonEvent({ type: 'Imported', data: { source: 'elsewhere' }, metadata: { importedBy: 'another tool' } }),
      ])
    },
    close: () => client.dispose(),
  }
}

if (url) {
  const open = () => {
    const log = new KurrentEventLog(url)
    const server = otherProgram(url)
    return { log, server, cleanup: async () => void (await Promise.all([log.close(), server.close()])) }
  }
  eventLogContract(t, 'KurrentEventLog', async () => {
    const { log, server, cleanup } = open()
    return { log, cleanup, writeForeignEvents: server.writeForeignEvents }
  })
  kurrentAdapterSuite(t, 'KurrentEventLog', async () => open())
} else if (required) {
  t.fail('EVENTSTORE_URL is not set, but this CI run requires the KurrentDB contract (EVENTSTORE_REQUIRED=true)')
} else {
  t.plan(0, 'EVENTSTORE_URL is not set: no KurrentDB to run the contract against (e.g. kurrentdb://localhost:2113?tls=false)')
}
