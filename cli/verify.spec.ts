import Database from 'better-sqlite3'
import { copyFile, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { eventHash } from '../eventlog/hashChain.ts'
import { audit, serve } from './testing/fixture.ts'
import { writeRandomHistory } from './testing/randomHistory.ts'

interface Row {
  position: number
  streamId: string
  revision: number
  eventId: string
}

const ROW = `SELECT position, stream_id AS streamId, revision, event_id AS eventId FROM events`

/** A stored log with ciphertext in it (and an erased user), closed so the SQLite file is whole. */
const served = await serve(t)
await writeRandomHistory(served.ctx, { commands: 400, seed: 17, erasures: true })
await served.stop()
const original = join(served.dataDir, 'events.sqlite')

/** A copy of the data folder's log, altered by `tamper` through SQLite directly, as an intruder with the file would. */
async function tampered<T>(tamper: (db: Database.Database) => T): Promise<{ dataDir: string; target: T }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ptvem-verify-'))
  t.teardown(() => rm(dataDir, { recursive: true, force: true }))
  await copyFile(original, join(dataDir, 'events.sqlite'))
  const db = new Database(join(dataDir, 'events.sqlite'))
  try {
    return { dataDir, target: tamper(db) }
  } finally {
    db.close()
  }
}

/** An event in the middle of a stream, so that later events depend on it. */
const middleOf = (db: Database.Database, type: string): Row =>
  db
    .prepare<[string], Row>(
      `${ROW} WHERE type = ? AND revision > 0 AND EXISTS (SELECT 1 FROM events later WHERE later.stream_id = events.stream_id AND later.revision > events.revision) ORDER BY position LIMIT 1`,
    )
    .get(type)!

const brokenAt = (row: Pick<Row, 'streamId' | 'revision' | 'eventId'>) =>
  new RegExp(`^BROKEN: the log fails at stream ${row.streamId}, revision ${row.revision}, event ${row.eventId} \\(position \\d+\\): `)

t.test('an intact log verifies, whole or stream by stream', async t => {
  const { dataDir, target: streamId } = await tampered(db => db.prepare(`SELECT stream_id FROM events WHERE type = 'StorySubmitted' LIMIT 1`).pluck().get() as string)
  const whole = await audit(dataDir, 'verify')
  t.equal(whole.code, 0, whole.stderr)
  t.match(whole.stdout, /^ok: \d+ events in \d+ streams verified, up to position \d+\n$/)
  const one = await audit(dataDir, 'verify', '--stream', streamId)
  t.equal(one.code, 0, one.stderr)
  const none = await audit(dataDir, 'verify', '--stream', 'product-nothing')
  t.equal(none.code, 1)
  t.match(none.stderr, 'no stream product-nothing in the log')
})

t.test('an event whose data was changed', async t => {
  const { dataDir, target } = await tampered(db => {
    const row = middleOf(db, 'OwnershipTransferred')
    db.prepare(`UPDATE events SET data = json_set(data, '$.toUserId', 'mallory') WHERE position = ?`).run(row.position)
    return row
  })
  const result = await audit(dataDir, 'verify')
  t.equal(result.code, 1)
  t.match(result.stderr, brokenAt(target))
  t.match(result.stderr, 'its content (type, data or metadata) no longer matches its hash')
  const stream = await audit(dataDir, 'verify', '--stream', target.streamId)
  t.equal(stream.code, 1)
  t.match(stream.stderr, `BROKEN: stream ${target.streamId} fails at stream ${target.streamId}, revision ${target.revision}`)
})

t.test('an event whose sealed personal data was changed: the chain covers the ciphertext', async t => {
  const { dataDir, target } = await tampered(db => {
    const row = db.prepare<[], Row>(`${ROW} WHERE type = 'StorySubmitted' ORDER BY position LIMIT 1`).get()!
    const sealed = db.prepare(`SELECT data ->> '$.personalData.ciphertext' FROM events WHERE position = ?`).pluck().get(row.position) as string
    const flipped = `${sealed[0] === 'A' ? 'B' : 'A'}${sealed.slice(1)}`
    db.prepare(`UPDATE events SET data = json_set(data, '$.personalData.ciphertext', ?) WHERE position = ?`).run(flipped, row.position)
    return row
  })
  const result = await audit(dataDir, 'verify')
  t.equal(result.code, 1)
  t.match(result.stderr, brokenAt(target))
})

t.test('an event whose metadata was changed', async t => {
  const { dataDir, target } = await tampered(db => {
    const row = middleOf(db, 'ProductListed')
    db.prepare(`UPDATE events SET metadata = json_set(metadata, '$.actorId', 'mallory') WHERE position = ?`).run(row.position)
    return row
  })
  const result = await audit(dataDir, 'verify')
  t.equal(result.code, 1)
  t.match(result.stderr, brokenAt(target))
})

t.test('an event deleted from the middle of its stream', async t => {
  const { dataDir, target } = await tampered(db => {
    const deleted = middleOf(db, 'StorySubmitted')
    db.prepare('DELETE FROM events WHERE position = ?').run(deleted.position)
    return db.prepare<[string, number], Row>(`${ROW} WHERE stream_id = ? AND revision = ?`).get(deleted.streamId, deleted.revision + 1)!
  })
  const result = await audit(dataDir, 'verify')
  t.equal(result.code, 1)
  t.match(result.stderr, brokenAt(target), 'names the event after the gap')
  t.match(result.stderr, 'does not follow the previous event of its stream (an event is missing or out of order)')
})

t.test('an event changed with its hash recomputed breaks the link from the next one', async t => {
  const { dataDir, target } = await tampered(db => {
    const row = middleOf(db, 'OwnershipTransferred')
    const stored = db.prepare<[number], { type: string; data: string; metadata: string }>('SELECT type, data, metadata FROM events WHERE position = ?').get(row.position)!
    const metadata = JSON.parse(stored.metadata)
    const data = { ...JSON.parse(stored.data), toUserId: 'mallory' }
    const hash = eventHash(metadata.prevHash, row.streamId, row.revision, { type: stored.type, data, metadata })
    db.prepare('UPDATE events SET data = ?, metadata = ? WHERE position = ?').run(JSON.stringify(data), JSON.stringify({ ...metadata, hash }), row.position)
    return db.prepare<[string, number], Row>(`${ROW} WHERE stream_id = ? AND revision = ?`).get(row.streamId, row.revision + 1)!
  })
  const result = await audit(dataDir, 'verify')
  t.equal(result.code, 1)
  t.match(result.stderr, brokenAt(target), 'names the next event')
  t.match(result.stderr, 'it does not link to the hash of the previous event of its stream')
})
