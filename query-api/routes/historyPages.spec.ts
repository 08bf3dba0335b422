import t from 'tap'
import { appendProductEvents, appendUserEvent, scenario } from '../testing/app.ts'

const s = await scenario()
t.teardown(() => s.close())
const history = (query = '', headers: Record<string, string> = {}) =>
  s.app.inject({ method: 'GET', url: `/api/products/${s.productId}/history${query}`, headers })

type Body = { revision: number; events: { revision: number; type: string; data: Record<string, unknown>; source?: 'brand' }[] }

const nextOf = (link: string | string[] | number | undefined): string | undefined => {
  const match = /^<([^>]+)>; rel="next"$/.exec(String(link ?? ''))
  return match?.[1]
}

/** Every page from the first, following the next links; the URLs asked. */
async function allPages(first: string): Promise<{ pages: Body[]; urls: string[] }> {
  const pages: Body[] = []
  const urls: string[] = []
  for (let url: string | undefined = first; url !== undefined; ) {
    urls.push(url)
    const response = await s.app.inject({ method: 'GET', url })
    if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode}`)
    pages.push(response.json())
    url = nextOf(response.headers.link)
  }
  return { pages, urls }
}

t.test('ETag is the revision; If-None-Match with it is a 304 with no body', async t => {
  const whole = await history()
  t.equal(whole.headers.etag, '"12"')
  const again = await history('', { 'if-none-match': '"12"' })
  t.equal(again.statusCode, 304)
  t.equal(again.body, '')
  t.equal(again.headers.etag, '"12"')
  t.equal((await history('', { 'if-none-match': '"11"' })).statusCode, 200, 'an older revision gets the answer')
  t.equal((await history('', { 'if-none-match': '"5", W/"12"' })).statusCode, 304, 'one of a list, weak or not')
  t.equal((await history('?limit=3', { 'if-none-match': '"12"' })).statusCode, 304, 'a page of the same revision')
  const asOf = await history('?at=2024-04-15T00:00:00Z')
  t.equal(asOf.headers.etag, '"12"', 'with at, still the stream revision: the same log and time give the same answer')
  t.equal(asOf.json().revision, 6)
  t.equal((await history('?at=2024-04-15T00:00:00Z', { 'if-none-match': '"12"' })).statusCode, 304)
})

t.test('pages run newest first and, followed to the end, give the whole history', async t => {
  const whole = (await history()).json() as Body
  const { pages, urls } = await allPages(`/api/products/${s.productId}/history?limit=5`)
  t.same(pages.map(page => page.events.filter(event => event.source !== 'brand').length), [5, 5, 3], 'limit counts the product’s own events')
  t.same(pages.at(-1)!.events.at(-1)!.source, 'brand', 'the brand’s verification before the product was made comes with the oldest page')
  t.same(urls.slice(1), [`/api/products/${s.productId}/history?limit=5&before=8`, `/api/products/${s.productId}/history?limit=5&before=3`])
  t.same(pages.flatMap(page => page.events), [...whole.events].reverse(), 'the same events, in reverse')
  t.ok(pages.every(page => page.revision === 12))

  const exact = await allPages(`/api/products/${s.productId}/history?limit=13`)
  t.same(exact.urls.length, 1, 'no next link once the first event is in the page')
  const middle = (await history('?limit=2&before=5')).json() as Body
  t.same(middle.events.map(event => event.revision), [4, 3])
  const fromEnd = (await history('?limit=2&before=13')).json() as Body
  t.same(fromEnd.events.map(event => event.revision), [12, 11], 'before = revision + 1 is the first page')
})

t.test('pages of a history as of a time', async t => {
  const { pages, urls } = await allPages(`/api/products/${s.productId}/history?at=2024-04-15T00:00:00Z&limit=4`)
  t.same(pages.map(page => page.events.map(event => event.revision)), [[6, 5, 4, 3], [2, 1, 0]])
  t.match(urls[1], /at=2024-04-15T00%3A00%3A00Z&limit=4&before=3$/)
  t.match(pages[1], { revision: 6, at: '2024-04-15T00:00:00.000Z', state: { productId: s.productId } })
})

t.test('bad paging is a 400 problem', async t => {
  for (const query of ['?limit=0', '?limit=1001', '?limit=ten', '?limit=2.5', '?limit=5&before=0', '?limit=5&before=-1', '?limit=5&before=x', '?before=3', '?limit=5&before=14']) {
    const response = await history(query)
    t.equal(response.statusCode, 400, query)
    t.match(response.headers['content-type'], /application\/problem\+json/, query)
  }
  t.match((await history('?limit=5&before=14')).json().detail, /past the product's newest revision, 12/)
})

t.test('a consent change, a transfer or an erased author is seen at once', async t => {
  const first = (await history()).json() as Body
  t.notOk(JSON.stringify(first).includes(s.alice.userId), 'Alice hidden')

  const consent = await appendProductEvents(s.ctx, s.productId, [
    { actorId: s.alice.userId, at: '2024-07-01T00:00:00.000Z', event: { type: 'ConsentChanged', data: { productId: s.productId, ownerId: s.alice.userId, visibility: 'public' } } },
  ])
  await s.ctx.waitForPosition(consent, 5000)
  const shown = await history('', { 'if-none-match': '"12"' })
  t.equal(shown.statusCode, 200, 'the old ETag no longer matches')
  t.equal(shown.headers.etag, '"13"')
  const body = shown.json() as Body
  t.match(body.events.find(event => event.type === 'OwnershipTransferred' && event.data.via === 'claim')!.data, { toUserId: s.alice.userId }, "Alice's earlier period, per her current consent")

  await appendProductEvents(s.ctx, s.productId, [
    {
      actorId: s.bob.userId,
      at: '2024-08-01T00:00:00.000Z',
      event: { type: 'OwnershipTransferred', data: { productId: s.productId, fromUserId: s.bob.userId, toUserId: s.alice.userId, via: 'transfer', at: '2024-08-01T00:00:00.000Z' } },
    },
  ])
  const transferred = await history('?limit=1')
  t.equal(transferred.headers.etag, '"14"')
  t.match((transferred.json() as Body).events, [{ revision: 14, type: 'OwnershipTransferred', data: { toUserId: s.alice.userId } }])

  const story = (body: Body) => body.events.find(event => 'title' in event.data)!.data
  t.match(story((await history()).json()), { title: /^Rain/ }, "Alice's published story, read")
  // An erasure appends UserErased to her stream, then deletes her key, with no event after.
  const erasing = await appendUserEvent(s.ctx, s.alice.userId, { type: 'UserErased', data: { userId: s.alice.userId, erasedBy: 'admin', erasedAt: new Date().toISOString() } }, 'admin')
  for (let read = 1; read <= 2; read++) {
    t.match(story((await history('', { 'x-min-position': String(erasing) })).json()), { title: /^Rain/ }, `read ${read} while her key is still there`)
  }
  await s.ctx.keys.delete(s.alice.userId)
  const erased = (await history()).json() as Body
  t.equal(erased.revision, 14, 'no new product event')
  t.match(story(erased), { title: null, body: null }, 'her story text is gone with her key')
})

t.test('pages step over the revisions the public does not see', async t => {
  const { productId } = s
  const lifecycleId = `${productId}_lc1`
  const record = { productId, lifecycleId, type: 'repair' as const, description: 'Patched elbow', occurredAt: '2024-09-01T00:00:00.000Z', mediaIds: [], partnerId: 'repairer-1', partnerRole: 'repairer' as const, ownerId: s.alice.userId, recordedAt: '2024-09-01T00:00:00.000Z' }
  await appendProductEvents(s.ctx, productId, [
    { actorId: 'repairer-1', at: '2024-09-01T00:00:00.000Z', event: { type: 'LifecycleRecorded', data: record } },
    { actorId: s.alice.userId, at: '2024-09-02T00:00:00.000Z', event: { type: 'LifecycleRefused', data: { productId, lifecycleId, ownerId: s.alice.userId, refusedAt: '2024-09-02T00:00:00.000Z' } } },
    { actorId: s.alice.userId, at: '2024-09-03T00:00:00.000Z', event: { type: 'ConsentChanged', data: { productId, ownerId: s.alice.userId, visibility: 'anonymous' } } },
  ])
  const whole = (await history()).json() as Body
  t.same(whole.events.slice(-2).map(event => event.revision), [14, 17], 'the refused record is not shown')
  const { pages, urls } = await allPages(`/api/products/${productId}/history?limit=2`)
  t.same(pages[0]!.events.map(event => event.revision), [17, 14])
  t.match(urls[1], /before=14$/)
  t.same(pages.flatMap(page => page.events), [...whole.events].reverse())
  t.same((await history('?limit=3&before=17')).json().events.map((event: { revision: number }) => event.revision), [14, 13, 12])
})
