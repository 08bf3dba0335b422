import t from 'tap'
import { eventLogContract } from './testing/eventLog.contract.ts'
import { KurrentEventLog } from './kurrentdb.ts'

const url = process.env.EVENTSTORE_URL
const required = process.env.CI === 'true' && process.env.EVENTSTORE_REQUIRED === 'true'

if (url) {
  eventLogContract(t, 'KurrentEventLog', async () => {
    const log = new KurrentEventLog(url)
    return { log, cleanup: () => log.close() }
  })
} else if (required) {
  t.fail('EVENTSTORE_URL is not set, but this CI run requires the KurrentDB contract (EVENTSTORE_REQUIRED=true)')
} else {
  t.plan(0, 'EVENTSTORE_URL is not set: no KurrentDB to run the contract against (e.g. kurrentdb://localhost:2113?tls=false)')
}
