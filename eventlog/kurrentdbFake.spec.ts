/** The KurrentDB adapter's logic on a fake client (eventlog/testing/fakeKurrentClient.ts): no server runs here. */
import t from 'tap'
import { eventLogContract } from './testing/eventLog.contract.ts'
import { KurrentEventLog } from './kurrentdb.ts'
import { kurrentAdapterSuite } from './testing/kurrentdbSuite.ts'
import { FakeKurrentClient } from './testing/fakeKurrentClient.ts'

function openFake() {
  const fake = new FakeKurrentClient()
  const log = new KurrentEventLog(fake.asClient())
  return { fake, log, cleanup: () => log.close() }
}

eventLogContract(t, 'KurrentEventLog on a fake client', async () => {
  const { fake, log, cleanup } = openFake()
  return { log, cleanup, writeForeignEvents: async () => fake.writeForeignEvents() }
})

kurrentAdapterSuite(t, 'KurrentEventLog on a fake client', async () => {
  const { fake, log, cleanup } = openFake()
  return {
    log,
    cleanup,
    server: {
      tombstone: async streamId => fake.tombstone(streamId),
      softDelete: async streamId => fake.softDelete(streamId),
      setMaxCount: async (streamId, maxCount) => fake.setMaxCount(streamId, maxCount),
      writeForeignEvents: async () => fake.writeForeignEvents(),
      openReads: () => fake.openReads,
      streamReads: () => fake.streamReads,
    },
  }
})
