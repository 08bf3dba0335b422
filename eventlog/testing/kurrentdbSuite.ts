/**
 * What the KurrentDB adapter must do beyond the port's contract: streams deleted or truncated by another
 * program, positions as $all gives them, reads closed when a reader stops early. Runs against a live server
 * (eventlog/kurrentdb.spec.ts, when EVENTSTORE_URL is set) and against the fake client (eventlog/kurrentdbFake.spec.ts).
 */
import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import { collect, newEvent } from './eventLog.contract.ts'
import type { KurrentEventLog } from '../kurrentdb.ts'
import { InvalidPosition, StreamUnreadable, type RecordedEvent } from '../port.ts'

/** What the tests do to the server behind the adapter's back. */
export interface KurrentServer {
  tombstone(streamId: string): Promise<void>
  softDelete(streamId: string): Promise<void>
  setMaxCount(streamId: string, maxCount: number): Promise<void>
  writeForeignEvents(): Promise<void>
  /** Server reads not yet read to the end, where that can be seen (the fake). */
  openReads?: () => number
  /** Stream reads made so far, where that can be counted (the fake). */
  streamReads?: () => number
}

export interface KurrentUnderTest {
  log: KurrentEventLog
  server: KurrentServer
  cleanup: () => Promise<void>
}

export function kurrentAdapterSuite(t: Test, name: string, makeLog: () => Promise<KurrentUnderTest>): void {
  const open = async (t: Test): Promise<KurrentUnderTest> => {
    const opened = await makeLog()
    t.teardown(opened.cleanup)
    return opened
  }
  const streamId = (label: string) => `kurrent_${label}-${randomUUID()}`

  t.test(`${name}: KurrentDB's own cases`, async t => {
    t.test('a tombstoned stream is refused clearly, on read and on append', async t => {
      const { log, server } = await open(t)
      const stream = streamId('tombstoned')
      await log.append(stream, [newEvent('A'), newEvent('B')], 'no_stream')
      await server.tombstone(stream)
      await t.rejects(log.readStream(stream), new StreamUnreadable(stream, 'deleted'))
      await t.rejects(log.append(stream, [newEvent('C')], 1), new StreamUnreadable(stream, 'deleted'))
      await t.rejects(log.append(stream, [newEvent('C')], 'any'), StreamUnreadable)
    })

    t.test('a soft-deleted stream reads as missing, and is not written again from revision 0', async t => {
      const { log, server } = await open(t)
      const stream = streamId('soft-deleted')
      await log.append(stream, [newEvent('A'), newEvent('B')], 'no_stream')
      await server.softDelete(stream)
      t.same(await log.readStream(stream), [])
      await t.rejects(log.append(stream, [newEvent('C')], 'no_stream'), new StreamUnreadable(stream, 'deleted'))
      await t.rejects(log.append(stream, [newEvent('C')], 'any'), StreamUnreadable)
    })

    t.test('a stream truncated by $maxCount is refused when read from its start', async t => {
      const { log, server } = await open(t)
      const stream = streamId('truncated')
      await log.append(stream, ['A', 'B', 'C', 'D'].map(type => newEvent(type)), 'no_stream')
      await server.setMaxCount(stream, 2)
      await t.rejects(log.readStream(stream), new StreamUnreadable(stream, 'truncated'))
      t.same((await log.readStream(stream, { fromRevision: 2 })).map(event => event.type), ['C', 'D'], 'what is left reads from where it starts')
      const appended = await log.append(stream, [newEvent('E')], 3)
      t.equal(appended.nextRevision, 4, 'appends go on from the head')
      const [e] = await log.readStream(stream, { fromRevision: 4 })
      const [d] = await log.readStream(stream, { fromRevision: 3, maxCount: 1 })
      t.equal(e!.metadata.prevHash, d!.metadata.hash, 'chained from the head')
    })

    t.test("an append answers with its last event's position in $all, a lone event without reading it back", async t => {
      const { log, server } = await open(t)
      const stream = streamId('positions')
      await log.append(stream, [newEvent('A')], 'no_stream')
      const readsBefore = server.streamReads?.()
      const lone = await log.append(stream, [newEvent('B')], 0)
      if (readsBefore !== undefined) t.equal(server.streamReads!() - readsBefore, 1, 'one read: the head to chain from')
      const batch = await log.append(stream, [newEvent('C'), newEvent('D'), newEvent('E')], 1)

      const stored = await log.readStream(stream)
      t.equal(lone.position, stored[1]!.position)
      t.equal(batch.position, stored[4]!.position, "a batch's: its last event's")
      const fromAll: RecordedEvent[] = []
      for await (const event of log.readAll({ after: stored[0]!.position })) if (event.streamId === stream) fromAll.push(event)
      t.same(fromAll.map(event => event.position), stored.slice(1).map(event => event.position), 'the positions $all gives')
    })

    t.test('a position inside a record is refused, not waited on', async t => {
      const { log } = await open(t)
      const stream = streamId('mid-record')
      const { position } = await log.append(stream, [newEvent('A')], 'no_stream')
      await log.append(stream, [newEvent('B')], 0)
      await t.rejects(collect(log.readAll({ after: position + 1 })), InvalidPosition)
      await t.rejects(collect(log.subscribe({ after: position + 1, signal: AbortSignal.timeout(5_000) })), InvalidPosition)
    })

    t.test('reads page through $all, and stopping early leaves no read open', async t => {
      const { log, server } = await open(t)
      const stream = streamId('paging')
      const before = await log.headPosition()
      for (let batch = 0; batch < 12; batch++) await log.append(stream, Array.from({ length: 100 }, (_, n) => newEvent('A', { n: batch * 100 + n })))
      let ours = 0
      for await (const event of log.readAll({ after: before })) if (event.streamId === stream) ours++
      t.equal(ours, 1200, 'every event, across pages')

      let read = 0
      for await (const _event of log.readAll({ after: before })) if (++read === 550) break
      if (server.openReads) t.equal(server.openReads(), 0, 'no server read left open')
      t.equal((await log.readStream(stream, { direction: 'backwards', maxCount: 1 }))[0]!.revision, 1199, 'the log goes on reading')
    })

    t.test('a foreign event after ours is not the head', async t => {
      const { log, server } = await open(t)
      const { position } = await log.append(streamId('head'), [newEvent('A')], 'no_stream')
      await server.writeForeignEvents()
      t.equal(await log.headPosition(), position)
    })
  })
}
