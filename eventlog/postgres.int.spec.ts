import net from 'node:net'
import pg from 'pg'
import t from 'tap'
import { serverSettings } from '../adapters/testing/servers.ts'
import { eventLogContract, newEvent } from './testing/eventLog.contract.ts'
import { GENESIS_HASH, chain, verifyChains } from './hashChain.ts'
import { EventLogUnavailable, type RecordedEvent } from './port.ts'
import { PostgresEventLog } from './postgres.ts'
import { postgresDatabase } from './testing/postgresDatabase.ts'

const settings = serverSettings(t, ['POSTGRES_URL'])

/** Whether `promise` settles within `ms`: a test then fails on its assertion, not on tap's timeout. */
const settlesWithin = (promise: Promise<unknown>, ms: number): Promise<boolean> => {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<false>(resolve => (timer = setTimeout(() => resolve(false), ms)))
  return Promise.race([promise.then(() => true), late]).finally(() => clearTimeout(timer))
}

if (settings) {
  const url = await postgresDatabase(t, settings.POSTGRES_URL, 'eventlog_test')

  eventLogContract(t, 'PostgresEventLog', async () => {
    const log = await PostgresEventLog.connect(url)
    return {
      log,
      cleanup: () => log.close(),
      // Another program's rows, at the next positions as an append would take them.
      writeForeignEvents: async () => {
        const client = new pg.Client({ connectionString: url })
        await client.connect()
        await client.query(`
          WITH head AS (UPDATE event_log_head SET position = position + 2 RETURNING position)
          INSERT INTO events (position, stream_id, revision, event_id, type, data, metadata)
          SELECT head.position - 2 + n, 'foreign-' || gen_random_uuid(), 0, gen_random_uuid()::text, 'Foreign', '{}',
                 CASE n WHEN 1 THEN 'not json' ELSE '{"by":"another program"}' END
          FROM head, generate_series(1, 2) AS n`)
        await client.end()
      },
    }
  })

  t.test('a reader never steps over a position that commits late', async t => {
    const log = await PostgresEventLog.connect(url, { pollIntervalMs: 50 })
    t.teardown(() => log.close())
    const head = await log.headPosition()
    const controller = new AbortController()
    t.teardown(() => controller.abort())
    const received: RecordedEvent[] = []
    const consuming = (async () => {
      for await (const event of log.subscribe({ after: head, signal: controller.signal })) received.push(event)
    })()

    // Another writer takes the next position, as an append does, and has not committed yet.
    const slow = new pg.Client({ connectionString: url })
    await slow.connect()
    t.teardown(() => slow.end())
    const slowStream = `late-${head}`
    const slowEvent = newEvent('Late')
    const metadata = chain(GENESIS_HASH, slowStream, 0, slowEvent)
    await slow.query('BEGIN')
    const [{ position: late }] = (await slow.query('UPDATE event_log_head SET position = position + 1 RETURNING position')).rows
    await slow.query('INSERT INTO events (position, stream_id, revision, event_id, type, data, metadata) VALUES ($1, $2, 0, $3, $4, $5, $6)', [
      late,
      slowStream,
      metadata.eventId,
      slowEvent.type,
      JSON.stringify(slowEvent.data),
      JSON.stringify(metadata),
    ])

    const fast = log.append(`early-${head}`, [newEvent('Early')], 'no_stream')
    t.notOk(await settlesWithin(fast, 300), 'an append behind it waits for its commit')
    t.same(received, [], 'and the reader has seen neither')

    await slow.query('COMMIT')
    const appended = await fast
    t.equal(appended.position, Number(late) + 1, 'the waiting append takes the next position')
    while (received.length < 2) await new Promise(resolve => setTimeout(resolve, 20))
    controller.abort()
    await consuming
    t.same(
      received.map(event => [event.position, event.type]),
      [
        [Number(late), 'Late'],
        [Number(late) + 1, 'Early'],
      ],
      'the reader gets both, in order, none skipped',
    )
  })

  t.test('a rolled-back append leaves no gap', async t => {
    const log = await PostgresEventLog.connect(url)
    t.teardown(() => log.close())
    const head = await log.headPosition()
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    t.teardown(() => client.end())
    await client.query('BEGIN')
    await client.query('UPDATE event_log_head SET position = position + 5')
    await client.query('ROLLBACK')
    const { position } = await log.append(`after-rollback-${head}`, [newEvent('A')], 'no_stream')
    t.equal(position, head + 1)
  })

  t.test('concurrent appends from several connections: every position once, in order, chains intact', async t => {
    const logs = await Promise.all([1, 2, 3].map(() => PostgresEventLog.connect(url)))
    t.teardown(() => Promise.all(logs.map(log => log.close())))
    const head = await logs[0]!.headPosition()
    await Promise.all(
      logs.flatMap((log, l) =>
        Array.from({ length: 6 }, async (_, s) => {
          const streamId = `concurrent-${head}-${l}-${s}`
          for (let n = 0; n < 10; n++) await log.append(streamId, [newEvent('A', { n }), newEvent('B')], 'any')
        }),
      ),
    )
    const all: RecordedEvent[] = []
    for await (const event of logs[1]!.readAll({ after: head })) all.push(event)
    t.same(
      all.map(event => event.position),
      Array.from({ length: 3 * 6 * 10 * 2 }, (_, i) => head + 1 + i),
      'positions run without a gap',
    )
    t.equal((await verifyChains(all)).broken, null, 'no stream forked')
  })

  t.test("many appends with 'any' to one stream from several connections all land, chained", async t => {
    const logs = await Promise.all([1, 2, 3].map(() => PostgresEventLog.connect(url)))
    t.teardown(() => Promise.all(logs.map(log => log.close())))
    const streamId = `crowded-${Date.now()}`
    await Promise.all(logs.flatMap(log => Array.from({ length: 10 }, () => log.append(streamId, [newEvent('A')], 'any'))))
    const stored = await logs[0]!.readStream(streamId)
    t.equal(stored.length, 30)
    t.equal((await verifyChains(stored)).broken, null)
  })

  t.test('an unreachable server fails as unavailable, and the log works again once it answers', async t => {
    // A proxy in front of the server, closed and reopened, stands for the server stopping and starting.
    const target = new URL(url)
    const sockets = new Set<net.Socket>()
    const proxy = net.createServer(client => {
      const upstream = net.connect(Number(target.port || 5432), target.hostname)
      for (const socket of [client, upstream]) {
        sockets.add(socket)
        socket.on('error', () => {})
        socket.on('close', () => sockets.delete(socket))
      }
      client.pipe(upstream).pipe(client)
    })
    await new Promise<void>(resolve => proxy.listen(0, '127.0.0.1', resolve))
    const port = (proxy.address() as net.AddressInfo).port
    const viaProxy = new URL(url)
    viaProxy.host = `127.0.0.1:${port}`
    const log = await PostgresEventLog.connect(viaProxy.href, { connectTimeoutMs: 1000 })
    t.teardown(() => log.close())
    const streamId = `outage-${Date.now()}`
    await log.append(streamId, [newEvent('A')], 'no_stream')

    const closeProxy = () => {
      const closed = new Promise(resolve => proxy.close(resolve))
      for (const socket of sockets) socket.destroy()
      return closed
    }
    await closeProxy()
    await t.rejects(log.append(streamId, [newEvent('B')], 0), EventLogUnavailable, 'an append')
    await t.rejects(log.readStream(streamId), EventLogUnavailable, 'a read')

    await new Promise<void>(resolve => proxy.listen(port, '127.0.0.1', resolve))
    t.teardown(closeProxy)
    t.equal((await log.append(streamId, [newEvent('B')], 0)).nextRevision, 1, 'an append after the outage')
  })
}
