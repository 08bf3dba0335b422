import t from 'tap'
import { SqliteEventLog } from '../../eventlog/sqlite.ts'
import { faultyLog } from '../../eventlog/testing/faultyLog.ts'
import type { RecordedEvent } from '../../eventlog/port.ts'
import { LogTail } from './logTail.ts'

const log = new SqliteEventLog(`${t.testdir()}/events.sqlite`)
t.teardown(() => log.close())
let count = 0
const append = (streamId: string) =>
  log.append(streamId, [{ type: 'Happened', data: {}, metadata: { eventId: `e${++count}`, occurredAt: '2024-07-01T00:00:00.000Z', actorId: 'a', correlationId: 'c', causationId: 'c', schemaVersion: 1 } }])

t.test('the tail goes on across a failed and an ended subscription, each event once and in order', async t => {
  const faulty = faultyLog(log, [{ after: 1, fault: 'throw' }, { after: 0, fault: 'end' }])
  const errors: unknown[] = []
  const tail = new LogTail(faulty, error => errors.push(error))
  t.teardown(() => tail.stop())
  const received: RecordedEvent[] = []
  const wanted = new Promise<void>(resolve =>
    tail.channel('wanted', () => ({ push: (event: RecordedEvent) => received.push(event) === 3 && resolve() })),
  )
  await tail.start()
  const positions = [(await append('wanted')).position, (await append('other')).position, (await append('wanted')).position, (await append('wanted')).position]
  await wanted
  t.same(received.map(event => event.position), [positions[0], positions[2], positions[3]])
  t.ok(faulty.subscriptions >= 3, 'subscribed again after each fault')
  t.equal(errors.length, 2, 'each fault reported')
})
