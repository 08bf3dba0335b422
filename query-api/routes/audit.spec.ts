import t from 'tap'
import { adminToken, bearer } from '../../test/testing/harness.ts'
import { scenario } from '../testing/app.ts'

const s = await scenario()
t.teardown(() => s.close())
const audit = async (query = '') => s.app.inject({ method: 'GET', url: `/api/audit/events${query}`, headers: bearer(await adminToken(s.app)) })

t.test('admins read the raw events with full metadata, password hashes redacted', async t => {
  const response = await audit('?limit=100')
  t.equal(response.statusCode, 200)
  const { items } = response.json()
  const registered = items.find((event: { type: string; data: { userId: string } }) => event.type === 'UserRegistered' && event.data.userId === s.alice.userId)
  t.notOk('passwordHash' in registered.data, 'the password hash is sealed with the personal data')
  t.ok(registered.data.personalData, 'personal data stays sealed')
  t.match(registered.metadata, { eventId: String, occurredAt: String, actorId: String, correlationId: String, causationId: String, prevHash: String, hash: String })
  t.notOk(response.body.includes('scrypt'), 'no password hash anywhere')
})

t.test('filters by stream, type, actor and time', async t => {
  const stream = `product-${s.productId}`
  const all = (await audit(`?streamId=${stream}&limit=100`)).json().items
  t.equal(all.length, 13)
  const transfers = (await audit(`?streamId=${stream}&type=OwnershipTransferred`)).json().items
  t.same(transfers.map((event: { revision: number }) => event.revision), [3, 9])
  const byAlice = (await audit(`?actorId=${s.alice.userId}&limit=100`)).json().items
  t.same(byAlice.map((event: { type: string }) => event.type), ['EmailClaimed', 'UserRegistered', 'OwnershipTransferred', 'StorySubmitted', 'StorySubmitted', 'ProductListed', 'ConsentChanged'])
  const may = (await audit(`?streamId=${stream}&from=2024-05-01T00:00:00Z&to=2024-05-31T23:59:59Z`)).json().items
  t.same(may.map((event: { revision: number }) => event.revision), [7, 8, 9, 10, 11])
  t.equal((await audit('?from=last-week')).statusCode, 400)
})

t.test('pages by log position', async t => {
  const stream = `product-${s.productId}`
  const seen: number[] = []
  let cursor: string | null = ''
  while (cursor !== null) {
    const page: { items: { position: string }[]; nextCursor: string | null } = (await audit(`?streamId=${stream}&limit=5${cursor ? `&cursor=${cursor}` : ''}`)).json()
    seen.push(...page.items.map(event => Number(event.position)))
    cursor = page.nextCursor
  }
  t.equal(seen.length, 13)
  t.same(seen, [...new Set(seen)].sort((a, b) => a - b), 'each once, in order')
  t.equal((await audit('?cursor=not-a-cursor')).statusCode, 400)
  const pastTheEnd = Buffer.from(`p:${Number.MAX_SAFE_INTEGER}`).toString('base64url')
  const refused = await audit(`?cursor=${pastTheEnd}`)
  t.equal(refused.statusCode, 400, 'a cursor naming no event of the log')
  t.match(refused.json(), { errors: [{ path: '/querystring/cursor' }] })
})

t.test('for admins only', async t => {
  t.equal((await s.app.inject({ method: 'GET', url: '/api/audit/events', headers: bearer(s.alice.token) })).statusCode, 403)
  t.equal((await s.app.inject({ method: 'GET', url: '/api/audit/events' })).statusCode, 401)
})
