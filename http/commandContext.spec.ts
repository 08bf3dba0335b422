import t from 'tap'
import type { RecordedEvent } from '../eventlog/port.ts'
import { buildTestApp } from '../test/testing/harness.ts'

const { app, ctx, close } = await buildTestApp()
t.teardown(close)

let registered = 0
/** Registers someone with the header given, and answers with the events the request appended. */
async function appendedWith(correlationId: string | undefined): Promise<RecordedEvent[]> {
  const before = await ctx.rawEventLog.headPosition()
  const payload = { email: `correlated-${++registered}@example.test`, password: 'a long password', displayName: 'Correlated' }
  const headers = correlationId === undefined ? {} : { 'x-correlation-id': correlationId }
  const response = await app.inject({ method: 'POST', url: '/api/auth/register', payload, headers })
  t.equal(response.statusCode, 201)
  const events: RecordedEvent[] = []
  for await (const event of ctx.rawEventLog.readAll({ after: before })) events.push(event)
  return events
}

t.test('an x-correlation-id that is an id is stored with every event the request appends', async t => {
  for (const id of ['walk-consent-1', '01J9Z3ABCDEF.retry:2', 'a', 'x'.repeat(64)]) {
    const events = await appendedWith(id)
    t.ok(events.length > 0)
    t.ok(events.every(event => event.metadata.correlationId === id), id)
  }
})

t.test('anything else is ignored: the request id stands in', async t => {
  const refused = ['x'.repeat(65), 'alice@example.com', 'has space', 'Bearer eyJhbGciOi/x+y=', 'naïve', '<script>', '']
  for (const header of refused) {
    const events = await appendedWith(header)
    t.ok(events.length > 0)
    for (const { metadata } of events) {
      t.equal(metadata.correlationId, metadata.causationId, `${JSON.stringify(header)}: the request id instead`)
      t.not(metadata.correlationId, header)
    }
  }
  for (const { metadata } of await appendedWith(undefined)) t.equal(metadata.correlationId, metadata.causationId, 'no header: the request id')
})
