import t from 'tap'
import Fastify from 'fastify'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SqliteEventLog } from '../../eventlog/sqlite.ts'
import { faultyLog } from '../../eventlog/testing/faultyLog.ts'
import { openSse } from '../testing/sse.ts'
import { LiveStreams } from './liveStreams.ts'

const dir = await mkdtemp(join(tmpdir(), 'ptvem-live-'))
const log = new SqliteEventLog(join(dir, 'events.sqlite'))
const live = new LiveStreams(50)
const presented: number[] = []
const app = Fastify()
app.get('/live', (request, reply) =>
  live.serve(request, reply, log, async event => {
    presented.push(event.position)
    return event.streamId === 'wanted' ? { type: event.type } : null
  }),
)
app.addHook('preClose', async () => live.closeAll())
const base = await app.listen({ port: 0, host: '127.0.0.1' })
t.teardown(async () => {
  await app.close()
  await log.close()
  await rm(dir, { recursive: true, force: true })
})

let n = 0
const append = (streamId: string) =>
  log.append(streamId, [
    { type: `E${++n}`, data: {}, metadata: { eventId: `e${n}`, occurredAt: new Date().toISOString(), actorId: 'a', correlationId: 'c', causationId: 'c', schemaVersion: 1 } },
  ])
const open = (headers: Record<string, string> = {}) => openSse(`${base}/live`, headers)

await append('wanted')

t.test('new events only, with their positions as ids, skipped ones left out, heartbeats between', async t => {
  const stream = await open()
  t.teardown(stream.close)
  t.equal(stream.headers['content-type'], 'text/event-stream; charset=utf-8')
  t.equal(stream.headers['cache-control'], 'no-cache')
  const [heartbeat] = await stream.next(1, { comments: true })
  t.equal(heartbeat!.comment, 'heartbeat')
  const positions = [(await append('other')).position, (await append('wanted')).position]
  const [message] = await stream.next(1)
  t.same(message, { id: String(positions[1]), data: JSON.stringify({ type: `E${n}` }) })
})

t.test('Last-Event-ID resumes right after that position', async t => {
  const resumeAfter = (await append('wanted')).position
  const missed = [(await append('wanted')).position, (await append('wanted')).position]
  const stream = await open({ 'last-event-id': String(resumeAfter) })
  t.teardown(stream.close)
  t.same((await stream.next(2)).map(message => message.id), missed.map(String))
  const later = (await append('wanted')).position
  t.same((await stream.next(1)).map(message => message.id), [String(later)], 'then live, nothing repeated')
})

t.test('a malformed Last-Event-ID is a 400', async t => {
  const stream = await open({ 'last-event-id': 'abc' })
  stream.close()
  t.equal(stream.status, 400)
})

t.test('a Last-Event-ID that is no event of the log is a 400', async t => {
  const pastTheEnd = (await log.headPosition()) + 1_000
  const stream = await open({ 'last-event-id': String(pastTheEnd) })
  stream.close()
  t.equal(stream.status, 400)
})

t.test('the stream goes on across a failed or ended log subscription', async t => {
  const faulty = faultyLog(log, [{ after: 1, fault: 'throw' }, { after: 0, fault: 'end' }])
  const faultyApp = Fastify()
  faultyApp.get('/live', (request, reply) => live.serve(request, reply, faulty, async event => (event.streamId === 'wanted' ? { type: event.type } : null)))
  const faultyBase = await faultyApp.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(async () => {
    live.closeAll()
    await faultyApp.close()
  })
  const stream = await openSse(`${faultyBase}/live`, {})
  t.teardown(stream.close)
  await stream.next(1, { comments: true })
  const positions = [(await append('wanted')).position, (await append('wanted')).position, (await append('wanted')).position]
  t.same((await stream.next(3)).map(message => message.id), positions.map(String), 'every event once, in order')
  t.ok(faulty.subscriptions >= 3, 'subscribed again after each failure')
})

t.test('a client that goes away stops its subscription', async t => {
  const stream = await open()
  await append('wanted')
  await stream.next(1)
  stream.close()
  await new Promise(resolve => setTimeout(resolve, 100))
  presented.length = 0
  await append('wanted')
  await new Promise(resolve => setTimeout(resolve, 200))
  t.same(presented, [], 'no stream presents events any more')
})

t.test('closing the server ends the streams still open', async t => {
  const stream = await open()
  await app.close()
  await t.rejects(stream.next(1), /the stream ended/)
})
