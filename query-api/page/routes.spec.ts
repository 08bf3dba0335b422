import t from 'tap'
import { appendProductEvents, eur, scenario } from '../testing/app.ts'

const s = await scenario()
t.teardown(() => s.close())
const page = (url: string, headers: Record<string, string> = {}) => s.app.inject({ method: 'GET', url, headers: { accept: 'text/html,*/*;q=0.8', ...headers } })

t.test('the page of a scanned code: product, verdict, owners per consent, published stories, escaped', async t => {
  const response = await page(`/p/${s.currentCode}`)
  t.equal(response.statusCode, 200)
  t.equal(response.headers['content-type'], 'text/html; charset=utf-8')
  t.match(response.headers['content-security-policy'], /default-src 'none'/)
  const body = response.body
  t.match(body, /<h1>Camp shirt<\/h1>/)
  t.match(body, /class="verdict authentic"/)
  t.match(body, /Maison Verte · 2024-01-01 – 2024-02-01/)
  t.match(body, /An owner who keeps their period private/)
  t.match(body, /Bob · 2024-05-01 – now/)
  t.match(body, /Rain &lt;script&gt;alert\(&quot;owned&quot;\)&lt;\/script&gt;/)
  t.notOk(/<script/i.test(body), 'no script element at all')
  t.match(body, /<img src="\/api\/media\/photo-1"/)
  t.notOk(body.includes('Call me'), 'a pending story stays off the page')
  t.notOk(body.includes(s.alice.userId), 'nor does the hidden owner')
  t.match(body, /Ownership transferred/)
})

t.test('the page has an icon of its own', async t => {
  const response = await page('/favicon.svg')
  t.equal(response.statusCode, 200)
  t.equal(response.headers['content-type'], 'image/svg+xml')
  t.match(response.body, /^<svg /)
  t.match((await page(`/p/${s.currentCode}`)).body, /<link rel="icon" href="\/favicon.svg"/)
})

t.test('a revoked code says so; an unknown or forged one is a 404 page', async t => {
  t.match((await page(`/p/${s.firstCode}`)).body, /class="verdict revoked"/)
  for (const code of ['nonsense', `${s.currentCode.slice(0, -3)}AAA`]) {
    const response = await page(`/p/${code}`)
    t.equal(response.statusCode, 404)
    t.match(response.headers['content-type'], /^text\/html/)
    t.match(response.body, /Unknown code/)
  }
})

t.test('Accept: application/json gives the JSON of GET /api/products/{qrCode}', async t => {
  const json = await page(`/p/${s.currentCode}`, { accept: 'application/json' })
  t.equal(json.statusCode, 200)
  t.match(json.headers['content-type'], /^application\/json/)
  const api = (await s.app.inject({ method: 'GET', url: `/api/products/${s.currentCode}` })).json()
  const withoutTime = ({ authenticity: { status }, ...rest }: { authenticity: { status: string } }) => ({ ...rest, status })
  t.same(withoutTime(json.json()), withoutTime(api))
  const forged = await page('/p/nonsense', { accept: 'application/json' })
  t.equal(forged.statusCode, 404)
  t.equal(forged.json().detail, 'unknown code (possible counterfeit)')
})

t.test('the page a Digital Link resolves to: the code must belong to that GTIN and serial', async t => {
  const path = `/p/0${s.gtin}/${encodeURIComponent(s.serialNumber)}`
  t.equal((await page(`${path}?q=${s.currentCode}`)).statusCode, 200)
  t.equal((await page(`/p/0${s.gtin}/other?q=${s.currentCode}`)).statusCode, 404, 'a serial we never issued')
  t.match((await page(`${path}?q=forged`)).body, /class="verdict unverified"/, 'a forged code on a product we issued reads unverified')
  t.match((await page(`${path}?q=${s.firstCode}`)).body, /class="verdict revoked"/, 'an old code reads revoked')
})

t.test('the page of a Digital Link without a code: the product it names, unverified', async t => {
  const serial = encodeURIComponent(s.serialNumber)
  for (const gtin of [s.gtin, `0${s.gtin}`]) {
    const response = await page(`/p/${gtin}/${serial}`)
    t.equal(response.statusCode, 200, `GTIN ${gtin}`)
    t.match(response.body, /<h1>Camp shirt<\/h1>/)
    t.match(response.body, /class="verdict unverified"/)
    t.match(response.body, /Scan the code on the label/)
  }
  const json = await page(`/p/0${s.gtin}/${serial}`, { accept: 'application/json' })
  t.equal(json.statusCode, 200)
  const api = (await s.app.inject({ method: 'GET', url: `/api/products/${s.currentCode}` })).json()
  t.same({ ...json.json(), authenticity: { status: json.json().authenticity.status } }, { ...api, authenticity: { status: 'unverified' } })
  t.equal(json.json().qrCode, s.currentCode)
  t.equal((await page(`/p/0${s.gtin}/other`)).statusCode, 404, 'an unknown serial')
  t.equal((await page(`/p/00000000000017/${serial}`)).statusCode, 404, 'an unknown GTIN')
  t.equal((await page(`/p/0${s.gtin}/other`, { accept: 'application/json' })).json().detail, 'unknown code (possible counterfeit)')
})

t.test('an active listing shows its price', async t => {
  const position = await appendProductEvents(s.ctx, s.productId, [
    {
      actorId: s.bob.userId,
      at: '2024-07-01T00:00:00.000Z',
      event: { type: 'ProductListed', data: { productId: s.productId, listingId: `${s.productId}_l2`, sellerId: s.bob.userId, price: eur(15_000), condition: 'like_new', suggestedPrice: null, listedAt: '2024-07-01T00:00:00.000Z' } },
    },
  ])
  const response = await page(`/p/${s.currentCode}`, { 'x-min-position': String(position) })
  t.match(response.body, /For sale<\/h2><p class="price">€150\.00<\/p><p class="muted">Condition: Like new<\/p>/)
})
