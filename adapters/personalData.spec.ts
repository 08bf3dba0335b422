import { existsSync, readFileSync } from 'node:fs'
import t, { type Test } from 'tap'
import type { EventLog, NewEvent, ReadAllOptions, RecordedEvent } from '../eventlog/port.ts'
import { SqliteEventLog } from '../eventlog/sqlite.ts'
import { cachedKeyStore } from './cachedKeyStore.ts'
import { SqliteKeyStore } from './embedded/sqliteKeyStore.ts'
import { encryptingEventLog } from './personalData.ts'

/** Just enough of a log to see what the decorator stores: every read hands out copies of `stored`. */
const memoryLog = (): EventLog & { stored: RecordedEvent[] } => {
  const stored: RecordedEvent[] = []
  const after = async function* (position = 0) {
    yield* structuredClone(stored.filter(event => event.position > position))
  }
  return {
    stored,
    async append(streamId, events) {
      for (const { type, data, metadata } of events) {
        const revision = stored.filter(event => event.streamId === streamId).length
        stored.push(structuredClone({ streamId, revision, position: stored.length + 1, type, data, metadata: { ...metadata, prevHash: '', hash: '' } }))
      }
      return { nextRevision: stored.filter(event => event.streamId === streamId).length - 1, position: stored.length }
    },
    readStream: async streamId => structuredClone(stored.filter(event => event.streamId === streamId)),
    readAll: options => after(options?.after),
    subscribe: options => after(options?.after),
    headPosition: async () => stored.length,
    close: async () => {},
  }
}

let ids = 0
const event = (type: string, data: Record<string, unknown>): NewEvent => ({
  type,
  data,
  metadata: { eventId: `e${++ids}`, occurredAt: '2025-01-01T00:00:00.000Z', actorId: 'a', correlationId: 'c', causationId: 'c', schemaVersion: 1 },
})

const registered = event('UserRegistered', {
  userId: 'alice',
  email: 'alice@example.com',
  emailHash: 'h',
  displayName: 'Alice Liddell',
  passwordHash: 'scrypt$32768$8$3$c2FsdC1vZi1hbGljZQ$a2V5LW9mLWFsaWNl',
  roles: ['consumer'],
})
const story = event('StorySubmitted', {
  productId: 'p1',
  storyId: 'p1_s1',
  authorId: 'alice',
  title: 'Down the rabbit hole',
  body: 'Wore it to a tea party',
  mediaIds: ['photo-of-the-hatter'],
  occurredAt: '2024-05-04',
  status: 'published',
})
const bobsStory = event('StoryEdited', { ...story.data, storyId: 'p1_s2', authorId: 'bob', title: 'Bob was here' })
const created = event('ProductCreated', { productId: 'p1', name: 'Blue dress', serialNumber: 'SN1' })
const clearText = ['alice@example.com', 'Alice Liddell', 'scrypt$', 'c2FsdC1vZi1hbGljZQ', 'rabbit hole', 'tea party', 'photo-of-the-hatter', 'Bob was here']

const setup = async (t: Test) => {
  const raw = memoryLog()
  const keys = cachedKeyStore(new SqliteKeyStore(`${t.testdir()}/keys.db`))
  const undecryptable: string[] = []
  const log = encryptingEventLog(raw, keys, { onUndecryptable: (error, event) => undecryptable.push(`${event.type}: ${error.message}`) })
  t.teardown(() => keys.close())
  await log.append('user-alice', [registered])
  await log.append('product-p1', [created, story, bobsStory])
  return { raw, keys, log, undecryptable }
}

const collect = async <T>(items: AsyncIterable<T>): Promise<T[]> => {
  const all: T[] = []
  for await (const item of items) all.push(item)
  return all
}

t.test('the raw log holds no personal data in clear', async t => {
  const { raw } = await setup(t)
  const stored = JSON.stringify(raw.stored)
  for (const text of clearText) t.notOk(stored.includes(text), `no "${text}"`)
  t.same(raw.stored[1]!.data, created.data, 'events without personal data are stored as they are')
  t.equal(raw.stored[0]!.data.userId, 'alice', 'the subject stays readable')
})

t.test('the raw log holds no password hash: it is sealed with the email and display name', async t => {
  const { raw, log } = await setup(t)
  t.notOk('passwordHash' in raw.stored[0]!.data, 'no passwordHash field')
  t.notOk(JSON.stringify(raw.stored).includes(registered.data.passwordHash as string), 'nor its value anywhere')
  t.equal((await log.readStream('user-alice'))[0]!.data.passwordHash, registered.data.passwordHash, 'the decrypting log opens it for login')
})

t.test('the SQLite log’s files hold no personal data in clear, and read back decrypted', async t => {
  const dir = t.testdir()
  const keys = new SqliteKeyStore(`${dir}/keys.db`)
  t.teardown(() => keys.close())
  const raw = new SqliteEventLog(`${dir}/events.db`)
  await encryptingEventLog(raw, keys).append('user-alice', [registered])
  await raw.close()
  const files = [`${dir}/events.db`, `${dir}/events.db-wal`].filter(existsSync).map(file => readFileSync(file, 'latin1'))
  t.ok(files.join('').includes('alice'), 'the subject id is stored')
  for (const text of ['alice@example.com', 'Alice Liddell', 'scrypt$']) t.notOk(files.some(bytes => bytes.includes(text)), `no "${text}"`)
  const reopened = new SqliteEventLog(`${dir}/events.db`)
  t.teardown(() => reopened.close())
  t.same((await encryptingEventLog(reopened, keys).readStream('user-alice'))[0]?.data, registered.data)
})

t.test('every read decrypts', async t => {
  const { log } = await setup(t)
  const appended = [registered, created, story, bobsStory].map(event => event.data)
  t.same((await log.readStream('product-p1')).map(event => event.data), appended.slice(1), 'readStream')
  t.same((await collect(log.readAll())).map(event => event.data), appended, 'readAll')
  t.same((await collect(log.subscribe({ after: 1 }))).map(event => event.data), appended.slice(1), 'subscribe')
})

t.test('a reader that stops early ends the read beneath, in order and decrypted up to there', async t => {
  const { raw, keys } = await setup(t)
  let ended = false
  const endsNoted = async function* (options?: ReadAllOptions) {
    try {
      yield* raw.readAll(options)
    } finally {
      ended = true
    }
  }
  const log = encryptingEventLog({ ...raw, readAll: endsNoted }, keys)
  const read: unknown[] = []
  for await (const event of log.readAll()) {
    read.push(event.data)
    if (read.length === 3) break
  }
  t.same(read, [registered, created, story].map(event => event.data))
  t.ok(ended, 'the raw log’s read was ended')
})

t.test('after erasure the subject’s fields read as null, others’ stay readable', async t => {
  const { keys, log, undecryptable } = await setup(t)
  await keys.delete('alice')
  const [user] = await log.readStream('user-alice')
  t.same(user!.data, { ...registered.data, email: null, displayName: null, passwordHash: null }, 'no password hash: the account is unusable')
  const [, aliceStory, bobStory] = await log.readStream('product-p1')
  t.same(aliceStory!.data, { ...story.data, title: null, body: null, mediaIds: null })
  t.same(bobStory!.data, bobsStory.data)

  await keys.keyFor('alice')
  t.equal((await log.readStream('user-alice'))[0]!.data.email, null, 'a key made after erasure does not open older data')
  t.same(undecryptable, [], 'erasure is not reported as tampering')
})

t.test('a tampered or displaced envelope reads as null and is reported', async t => {
  const { raw, log, undecryptable } = await setup(t)
  const envelope = raw.stored[2]!.data.personalData as { ciphertext: string }
  envelope.ciphertext = `${envelope.ciphertext[0] === 'A' ? 'B' : 'A'}${envelope.ciphertext.slice(1)}`
  raw.stored[3]!.metadata.eventId = 'someone-else'
  raw.stored[0]!.data.personalData = 'garbage'
  const [user] = await log.readStream('user-alice')
  const [, tampered, displaced] = await log.readStream('product-p1')
  t.equal(user!.data.email, null)
  t.equal(tampered!.data.title, null)
  t.equal(displaced!.data.title, null)
  t.equal(undecryptable.length, 3)
  t.match(undecryptable, [/^UserRegistered: malformed envelope/, /^StorySubmitted: /, /^StoryEdited: /])
})

t.test('an event without its subject is refused, not stored in clear', async t => {
  const { log, raw } = await setup(t)
  await t.rejects(log.append('user-x', [event('UserRegistered', { email: 'x@example.com' })]), /no userId/)
  t.equal(raw.stored.length, 4)
})
