/**
 * A jacket's first day, walked over real HTTP against `npm start`, as API.md writes the contract: people
 * sign up, a brand makes the jacket, its label is scanned and reprinted, it changes hands twice, its owner
 * tells stories a moderator looks at, a phone opens its page, a live view follows it, the admin audits it.
 * Resale has its own walk (resale.spec.ts), and so do the operations endpoints (operations.spec.ts).
 */
import t, { type Test } from 'tap'
import { eventually, expectProblem, expectStatus, type Person } from './testing/client.ts'
import { logIn, logInAsAdmin, signUp } from './testing/people.ts'
import { PUBLIC_BASE_URL } from './testing/server.ts'
import { closeWalk, EUR, openWalk, PHOTO, PNG_SIGNATURE, upload } from './testing/walk.ts'

const walk = await openWalk(t)
const { api } = walk

const BRAND_NAME = 'Maison Verte'
const JACKET = {
  name: 'Waxed field jacket',
  description: 'Waxed cotton with a corduroy collar',
  gtin: '4006381333931',
  serialNumber: 'WJ-0001',
  materials: [{ fibre: 'cotton', percent: 100 }],
  madeIn: 'Portugal',
  originalPrice: EUR(40_000),
}

let brand: Person, rival: Person, alice: Person, bob: Person, carol: Person, mona: Person, admin: Person
let collectionId: string, designId: string
/** The jacket as its latest write described it. */
let jacket: { productId: string; qrCode: string; qrUrl: string }
let beanie: { productId: string; qrCode: string; qrUrl: string }
/** The jacket's first code, revoked when the label is reprinted. */
let firstCode: string
let forgedCode: string
/** Bob's photos: one for a story published at once, one for a story that waits for a moderator. */
let photo: { mediaId: string; url: string; size: number }, receipt: { mediaId: string; url: string }
let rainStory: string, linkStory: string, aliceStory: string

/** Path and query of a QR URL: where the phone goes, on this server rather than the public host. */
const opened = (qrUrl: string) => {
  const url = new URL(qrUrl)
  return `${url.pathname}${url.search}`
}
const storyTitles = async (t: Test, as?: Person) =>
  (await api.call(t, `GET /api/stories/${jacket.productId}`, { as })).items.map((story: any) => story.title)

t.test('morning: everyone signs up; a token works until it is logged out', async t => {
  brand = await signUp(t, api, { displayName: 'Ines', brandName: BRAND_NAME, gs1CompanyPrefixes: ['4006381'] })
  rival = await signUp(t, api, { displayName: 'Rui', brandName: 'Other Label' })
  alice = await signUp(t, api, { displayName: 'Alice' })
  bob = await signUp(t, api, { displayName: 'Bob' })
  carol = await signUp(t, api, { displayName: 'Carol' })
  mona = await signUp(t, api, { displayName: 'Mona' })

  await api.refused(t, 'POST /api/auth/register', { body: { email: alice.email, password: 'a different password', displayName: 'Alice again' } }, 409)
  const noBrandName = { email: 'label@walk.test', password: 'a long password', displayName: 'Label', accountType: 'brand' }
  await api.refused(t, 'POST /api/auth/register', { body: noBrandName }, 400)
  const invalid = await api.refused(t, 'POST /api/auth/register', { body: { email: 'not an email', displayName: 'Nobody' } }, 400)
  t.match(invalid.errors, [{ path: String, message: String }], 'a 400 names the fields')
  await api.refused(t, 'POST /api/auth/login', { body: { email: alice.email, password: 'not her password' } }, 401)

  const verified = await api.call(t, 'GET /api/auth/verify', { as: alice })
  t.match(verified, { valid: true, userId: alice.userId, roles: ['consumer'], expiresAt: String })
  t.ok(Date.parse(verified.expiresAt) > Date.now(), 'the token expires in the future')

  const onHerPhone = await logIn(t, api, alice.email, alice.password)
  await api.call(t, 'POST /api/auth/logout', { as: onHerPhone }, 204)
  await api.refused(t, 'GET /api/auth/verify', { as: onHerPhone }, 401)
  t.equal((await api.call(t, 'GET /api/auth/verify', { as: alice })).valid, true, 'her other session lives on')
  await api.refused(t, 'GET /api/auth/verify', {}, 401)
  await api.refused(t, 'GET /api/auth/verify', { as: 'not-a-token' }, 401)
})

t.test('the admin makes Mona a moderator; nobody else can', async t => {
  admin = await logInAsAdmin(t, api)
  const roles = { roles: ['consumer', 'moderator'] }
  await api.refused(t, `PUT /api/admin/users/${mona.userId}/roles`, { body: roles }, 401)
  await api.refused(t, `PUT /api/admin/users/${mona.userId}/roles`, { as: mona, body: roles }, 403)
  t.match(await api.call(t, `PUT /api/admin/users/${mona.userId}/roles`, { as: admin, body: roles }), { userId: mona.userId, roles: roles.roles })
  t.same((await api.call(t, 'GET /api/auth/verify', { as: mona })).roles, roles.roles, 'the token she holds carries the role at once')
  await api.refused(t, 'PUT /api/admin/users/no-such-user/roles', { as: admin, body: roles }, 404)
})

t.test('the brand opens a collection with a design', async t => {
  await api.refused(t, 'POST /api/collections', { as: alice, body: { name: 'Not a brand' } }, 403)
  const collection = await api.call(t, 'POST /api/collections', { as: brand, body: { name: 'Field', season: 'AW25', description: 'Outerwear' } }, 201)
  t.match(collection, { collectionId: String, name: 'Field', season: 'AW25' })
  collectionId = collection.collectionId

  const design = { name: 'Field jacket', materials: [{ fibre: 'cotton', percent: 100 }] }
  await api.refused(t, `POST /api/collections/${collectionId}/designs`, { as: rival, body: design }, 403)
  const added = await api.call(t, `POST /api/collections/${collectionId}/designs`, { as: brand, body: design }, 201)
  t.match(added, { designId: String, name: 'Field jacket' })
  designId = added.designId

  const all = await api.call(t, 'GET /api/collections')
  t.match(all, { items: Array, nextCursor: null })
  t.ok(all.items.some((item: any) => item.collectionId === collectionId), 'the list holds it')
  t.match(await api.call(t, `GET /api/collections/${collectionId}`), { collectionId, name: 'Field', designs: [{ designId, name: 'Field jacket' }] })
  await api.refused(t, 'GET /api/collections/no-such-collection', {}, 404)
})

t.test('the brand makes a jacket with a GTIN and a beanie without one', async t => {
  await api.refused(t, 'POST /api/products', { as: alice, body: { name: 'Counterfeit' } }, 403)
  await api.refused(t, 'POST /api/products', { as: brand, body: { ...JACKET, gtin: '4006381333932' } }, [400, 422])
  await api.refused(t, 'POST /api/products', { as: brand, body: { name: 'Shirt', colour: 'red' } }, 400)
  await api.refused(t, 'POST /api/products', { as: rival, body: { name: 'Copy', collectionId } }, 403)
  await api.refused(t, 'POST /api/products', { as: brand, body: { name: 'Stray', collectionId, designId: 'no-such-design' } }, 422)

  const created = await api.send('POST /api/products', { as: brand, body: { ...JACKET, collectionId, designId } })
  expectStatus(t, created, 201)
  t.match(created.json, { productId: String, qrCode: String, qrUrl: String, ownerId: brand.userId, position: /^\d+$/ })
  t.match(created.headers.get('etag'), /^"\d+"$/, 'the ETag holds the stream revision')
  jacket = created.json
  const link = new URL(jacket.qrUrl)
  t.equal(link.origin, PUBLIC_BASE_URL)
  t.match(link.pathname, /^\/01\/0*4006381333931\/21\/WJ-0001$/, 'a GS1 Digital Link')

  beanie = await api.call(t, 'POST /api/products', { as: brand, body: { name: 'Merino beanie', originalPrice: EUR(4_500) } }, 201)
  t.equal(beanie.qrUrl, `${PUBLIC_BASE_URL}/p/${beanie.qrCode}`)
})

t.test('a scan tells the authentic jacket from a forged label', async t => {
  const scanned = await api.call(t, `GET /api/products/${jacket.qrCode}`)
  t.match(scanned, {
    productId: jacket.productId,
    name: JACKET.name,
    brand: BRAND_NAME,
    gtin: JACKET.gtin,
    serialNumber: JACKET.serialNumber,
    authenticity: { status: 'authentic', checkedAt: String },
    currentOwner: { displayName: brand.displayName },
  })

  const code = jacket.qrCode
  const tampered = (at: number) => `${code.slice(0, at)}${code[at] === 'x' ? 'y' : 'x'}${code.slice(at + 1)}`
  forgedCode = tampered(code.length - 5)
  await api.refused(t, `GET /api/products/${forgedCode}`, {}, 404)
  await api.refused(t, `GET /api/products/${tampered(Math.floor(code.length / 2))}`, {}, 404)
  await api.refused(t, `GET /api/products/${jacket.productId}`, {}, 404)
  await api.refused(t, 'GET /api/products/never-issued', {}, 404)
})

t.test('the brand reprints the label: the old code reads revoked; images show the new one', async t => {
  await api.refused(t, `POST /api/products/${jacket.productId}/qr`, { as: carol }, 403)
  const reprinted = await api.call(t, `POST /api/products/${jacket.productId}/qr`, { as: brand }, 201)
  t.match(reprinted, { qrCode: String, qrUrl: String, position: /^\d+$/ })
  t.not(reprinted.qrCode, jacket.qrCode)
  firstCode = jacket.qrCode
  jacket = { ...jacket, qrCode: reprinted.qrCode, qrUrl: reprinted.qrUrl }

  t.equal((await api.call(t, `GET /api/products/${firstCode}`)).authenticity.status, 'revoked')
  t.equal((await api.call(t, `GET /api/products/${jacket.qrCode}`)).authenticity.status, 'authentic')

  const svg = await api.send(`GET /api/products/${jacket.productId}/qr.svg`)
  expectStatus(t, svg, 200)
  t.match(svg.contentType, /^image\/svg\+xml/)
  t.match(svg.text, /<svg[\s>]/)
  const png = await api.send(`GET /api/products/${jacket.productId}/qr.png`)
  expectStatus(t, png, 200)
  t.match(png.contentType, /^image\/png/)
  t.same(png.bytes.subarray(0, 8), PNG_SIGNATURE, 'PNG bytes')
  await api.refused(t, 'GET /api/products/no-such-product/qr.svg', {}, 404)
})

t.test('the details hold the whole read model, the revision as ETag', async t => {
  const reply = await api.send(`GET /api/products/${jacket.productId}/details`)
  expectStatus(t, reply, 200)
  t.match(reply.json, {
    productId: jacket.productId,
    name: JACKET.name,
    brand: BRAND_NAME,
    collectionId,
    designId,
    originalPrice: JACKET.originalPrice,
    qr: { code: jacket.qrCode, status: 'active' },
    ownerCount: 1,
    storiesCount: 0,
    activeListing: null,
    revision: Number,
  })
  t.equal(reply.headers.get('etag'), `"${reply.json.revision}"`)
  t.match(reply.json.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/, 'times are ISO-8601 UTC')
  await api.refused(t, 'GET /api/products/no-such-product/details', {}, 404)
})

t.test('the brand hands the jacket to Alice; a stale If-Match is a 412', async t => {
  const { revision } = await api.call(t, `GET /api/products/${jacket.productId}/details`)
  const handOver = { productId: jacket.productId, toUserId: alice.userId }
  await api.refused(t, 'POST /api/ownership/transfer', { as: brand, body: handOver, headers: { 'if-match': `"${revision - 1}"` } }, 412)
  const handed = await api.send('POST /api/ownership/transfer', { as: brand, body: handOver, headers: { 'if-match': `"${revision}"` } })
  expectStatus(t, handed, 200)
  t.match(handed.json, { productId: jacket.productId, ownerId: alice.userId, position: /^\d+$/ })
  t.equal(handed.headers.get('etag'), `"${revision + 1}"`, 'the ETag moves on with the write')
  await api.refused(t, 'POST /api/ownership/transfer', { as: brand, body: { productId: jacket.productId, toUserId: carol.userId } }, 403)
})

t.test('Alice passes it to Bob with a claim code, which works once', async t => {
  const offer = await api.call(t, 'POST /api/ownership/transfer', { as: alice, body: { productId: jacket.productId } })
  t.match(offer, { productId: jacket.productId, claimCode: String, position: /^\d+$/ })
  t.notOk(offer.ownerId, 'nobody owns it anew yet')
  const days = (Date.parse(offer.expiresAt) - Date.now()) / 86_400_000
  t.ok(days > 6.9 && days <= 7, 'the code is valid for 7 days', { expiresAt: offer.expiresAt })

  const inbox = await api.listen('GET /api/notifications/live', { as: bob })
  t.teardown(inbox.close)
  t.equal(inbox.status, 200)
  t.match(inbox.contentType, /^text\/event-stream/)
  const claimed = await api.call(t, 'POST /api/ownership/claim', { as: bob, body: { claimCode: offer.claimCode } })
  t.match(claimed, { productId: jacket.productId, ownerId: bob.userId, position: /^\d+$/ })
  const [notice] = await inbox.next(1)
  t.match(JSON.parse(notice!.data!), { type: 'product_received', productId: jacket.productId, read: false }, 'Bob hears of it live')

  await api.refused(t, 'POST /api/ownership/claim', { as: carol, body: { claimCode: offer.claimCode } }, [409, 422])
  await api.refused(t, 'POST /api/ownership/claim', { as: carol, body: { claimCode: 'no-such-code' } }, [404, 422])
  t.match(await api.call(t, `GET /api/products/${jacket.qrCode}`), { currentOwner: { userId: bob.userId, displayName: 'Bob' }, ownerCount: 3 })
})

t.test('two people race for one claim code: exactly one gets the beanie', async t => {
  const { claimCode } = await api.call(t, 'POST /api/ownership/transfer', { as: brand, body: { productId: beanie.productId } })
  const racers = [alice, carol]
  const replies = await Promise.all(racers.map(as => api.send('POST /api/ownership/claim', { as, body: { claimCode } })))
  const winners = replies.filter(reply => reply.status === 200)
  t.equal(winners.length, 1, 'one claim succeeds', { bodies: replies.map(reply => reply.text) })
  const loser = replies.find(reply => reply.status !== 200)
  if (loser) expectProblem(t, loser, [409, 422])
  const winner = racers[replies.findIndex(reply => reply.status === 200)]
  t.match((await api.call(t, `GET /api/products/${beanie.productId}/details`)).currentOwner, { userId: winner?.userId })
})

t.test('the history comes straight from the log, also as of a past time', async t => {
  const history = await api.call(t, `GET /api/products/${jacket.productId}/history`)
  const types = ['ProductCreated', 'QrCodeIssued', 'QrCodeRevoked', 'QrCodeIssued', 'OwnershipTransferred', 'ClaimCodeIssued', 'OwnershipTransferred']
  const [vouched, ...own] = history.events
  t.match(vouched, { type: 'BrandVerified', source: 'brand', data: { userId: brand.userId, brandName: BRAND_NAME } }, 'first, who vouched for the brand')
  t.same(own.map((event: any) => event.type), types)
  t.match(history, { productId: jacket.productId, revision: types.length - 1 })
  own.forEach((event: any, revision: number) => t.match(event, { position: /^\d+$/, revision, occurredAt: String, data: Object }, `event ${revision}`))
  t.notMatch(JSON.stringify(history), /claimCodeHash/, 'no claim-code secret leaks')

  const toAlice = own[4]
  const then = await api.call(t, `GET /api/products/${jacket.productId}/history?at=${encodeURIComponent(toAlice.occurredAt)}`)
  t.same(then.events.map((event: any) => event.type), ['BrandVerified', ...types.slice(0, 5)], 'the events up to then')
  t.match(then.state, { productId: jacket.productId, currentOwner: { userId: alice.userId } }, 'Alice owned it then')
  const before = await api.call(t, `GET /api/products/${jacket.productId}/history?at=2000-01-01T00:00:00Z`)
  t.match(before, { events: [], state: null }, 'before it existed')

  await api.refused(t, `GET /api/products/${jacket.productId}/history?at=yesterday`, {}, 400)
  await api.refused(t, 'GET /api/products/no-such-product/history', {}, 404)
})

t.test('each owner decides how the ownership timeline shows them', async t => {
  const timeline = async () => (await api.call(t, `GET /api/ownership/${jacket.productId}/history`)).owners
  const owners = await timeline()
  t.equal(owners.length, 3)
  t.match(owners, [
    { owner: { userId: brand.userId, displayName: brand.displayName }, visibility: 'public', via: 'creation', from: String, to: String },
    { owner: { userId: alice.userId, displayName: 'Alice' }, visibility: 'public', via: 'transfer', from: String, to: String },
    { owner: { userId: bob.userId, displayName: 'Bob' }, visibility: 'public', via: 'claim', from: String },
  ])
  t.equal(owners[2].to, null, 'Bob owns it now')

  const consent = (as: Person, visibility: string) => api.call(t, `PUT /api/ownership/${jacket.productId}/consent`, { as, body: { visibility } })
  t.match(await consent(alice, 'anonymous'), { position: /^\d+$/ })
  t.match((await timeline())[1], { owner: null, visibility: 'anonymous', via: 'transfer', from: String, to: String }, 'anonymous: the period, no identity')

  await consent(alice, 'hidden')
  const hidden = (await timeline())[1]
  t.match(hidden, { owner: null, visibility: 'hidden' }, 'hidden: no identity')
  t.notOk(hidden.from || hidden.to || hidden.via, 'and no details')
  t.notMatch(JSON.stringify(await api.call(t, `GET /api/products/${jacket.productId}/history`)), alice.userId, 'the history no longer names her')

  await api.refused(t, `PUT /api/ownership/${jacket.productId}/consent`, { as: carol, body: { visibility: 'public' } }, 403)
  await api.refused(t, `PUT /api/ownership/${jacket.productId}/consent`, { as: bob, body: { visibility: 'invisible' } }, 400)
})

t.test("Bob's wardrobe is his to see, and the admin's", async t => {
  const wardrobe = await api.call(t, `GET /api/ownership/user/${bob.userId}`, { as: bob })
  t.match(wardrobe, { items: [{ productId: jacket.productId, name: JACKET.name }], nextCursor: null })
  t.equal(wardrobe.items.length, 1)
  t.equal((await api.call(t, `GET /api/ownership/user/${bob.userId}`, { as: admin })).items.length, 1)
  await api.refused(t, `GET /api/ownership/user/${bob.userId}`, { as: carol }, 403)
  await api.refused(t, `GET /api/ownership/user/${bob.userId}`, {}, 401)
  const brandShelf = await api.call(t, `GET /api/ownership/user/${brand.userId}`, { as: brand })
  t.same(brandShelf, { items: [], nextCursor: null }, 'the brand has passed both on')
})

t.test('Bob uploads a photo, which only he sees until a story shows it', async t => {
  await api.refused(t, 'POST /api/media', { body: upload(PHOTO, 'jacket.png', 'image/png') }, 401)
  await api.refused(t, 'POST /api/media', { as: bob, body: upload(Buffer.from('not an image'), 'note.png', 'image/png') }, 415)
  photo = await api.call(t, 'POST /api/media', { as: bob, body: upload(PHOTO, 'jacket.png', 'image/png') }, 201)
  t.match(photo, { mediaId: String, url: String, contentType: 'image/png', size: Number })
  receipt = await api.call(t, 'POST /api/media', { as: bob, body: upload(PHOTO, 'receipt.png', 'image/png') }, 201)

  const own = await api.send(`GET /api/media/${photo.mediaId}`, { as: bob })
  expectStatus(t, own, 200)
  t.match(own.contentType, /^image\/png/)
  t.same(own.bytes.subarray(0, 8), PNG_SIGNATURE, 'the photo, as stored: a PNG cleaned of its metadata')
  t.equal(own.bytes.length, photo.size)
  await api.refused(t, `GET /api/media/${photo.mediaId}`, { as: carol }, 403)
  await api.refused(t, `GET /api/media/${photo.mediaId}`, {}, [401, 403, 404])
})

t.test('Bob tells stories: a plain one is published, one with a link waits; Alice tells one of her time', async t => {
  const story = (title: string, body: string, extra = {}) => ({ productId: jacket.productId, title, body, ...extra })
  await api.refused(t, 'POST /api/stories', { as: carol, body: story('Not mine', 'I never owned it') }, 403)
  await api.refused(t, 'POST /api/stories', { as: bob, body: story('Tomorrow', 'Not yet', { occurredAt: '2999-01-01T00:00:00.000Z' }) }, 422)
  await api.refused(t, 'POST /api/stories', { as: bob, body: { ...story('Lost', 'No such jacket'), productId: 'no-such-product' } }, 404)

  const { events } = await api.call(t, `GET /api/products/${jacket.productId}/history`)
  const transfers = events.filter((event: any) => event.type === 'OwnershipTransferred')
  const [aliceGotIt, bobGotIt] = [transfers[0].occurredAt, transfers.at(-1).occurredAt]
  const rain = await api.call(t, 'POST /api/stories', { as: bob, body: story('Caught in the rain', 'Kept me dry all the way home.', { mediaIds: [photo.mediaId] }) }, 201)
  t.match(rain, { storyId: String, status: 'published', position: /^\d+$/ })
  rainStory = rain.storyId
  const link = await api.call(t, 'POST /api/stories', {
    as: bob,
    body: story('Re-waxed', 'They did a fine job, see https://rewax.example.com', { occurredAt: bobGotIt, mediaIds: [receipt.mediaId] }),
  }, 201)
  t.equal(link.status, 'pending')
  linkStory = link.storyId
  expectProblem(t, await api.send(`GET /api/media/${receipt.mediaId}`), [401, 403, 404])

  await api.refused(t, 'POST /api/stories', { as: alice, body: story('Before my time', 'Not my period', { occurredAt: '2020-01-01T00:00:00.000Z' }) }, 422)
  await api.refused(t, 'POST /api/stories', { as: bob, body: story('Her time', 'Not my period', { occurredAt: aliceGotIt }) }, 422)
  await api.refused(t, 'POST /api/stories', { as: alice, body: story('Borrowed', 'Not my photo', { occurredAt: aliceGotIt, mediaIds: [photo.mediaId] }) }, 422)
  const hers = await api.call(t, 'POST /api/stories', { as: alice, body: story('My week with it', 'A past owner remembers.', { occurredAt: aliceGotIt }) }, 201)
  t.equal(hers.status, 'published', 'a past owner tells a story of her own period')
  aliceStory = hers.storyId

  const published = await api.call(t, `GET /api/stories/${jacket.productId}`)
  t.same(published.items.map((item: any) => item.title), ['My week with it', 'Caught in the rain'], 'the public sees the published ones, oldest first')
  t.match(published.items[1], { storyId: rainStory, productId: jacket.productId, body: 'Kept me dry all the way home.', status: 'published', media: [{ mediaId: photo.mediaId, url: String }] })
  t.equal(published.nextCursor, null)
  t.same(await storyTitles(t, bob), ['My week with it', 'Re-waxed', 'Caught in the rain'], 'Bob also sees his pending one')
  t.equal(published.items[0].author, null, 'Alice keeps hidden as an author too')
  t.equal((await api.call(t, `GET /api/products/${jacket.productId}/details`)).storiesCount, 2, 'the details count the published ones')
  await api.refused(t, 'GET /api/stories/no-such-product', {}, 404)

  const shown = await api.send(`GET /api/media/${photo.mediaId}`)
  expectStatus(t, shown, 200)
  t.same(shown.bytes.subarray(0, 8), PNG_SIGNATURE, 'a published story shows its photo to anyone')
  t.equal(shown.bytes.length, photo.size)
})

t.test('Mona approves the story with the link', async t => {
  await api.refused(t, 'GET /api/moderation/stories?status=pending', { as: bob }, 403)
  const queue = await api.call(t, 'GET /api/moderation/stories?status=pending', { as: mona })
  t.ok(queue.items.some((item: any) => item.storyId === linkStory && item.status === 'pending'), 'the story waits in the queue')

  const approval = { decision: 'approve' }
  await api.refused(t, `POST /api/moderation/stories/${linkStory}/decision`, { as: bob, body: approval }, 403)
  await api.call(t, `POST /api/moderation/stories/${linkStory}/decision`, { as: mona, body: approval })
  t.same(await storyTitles(t), ['My week with it', 'Re-waxed', 'Caught in the rain'], 'now public, oldest occurredAt first')
  expectStatus(t, await api.send(`GET /api/media/${receipt.mediaId}`), 200)
  const after = await api.call(t, 'GET /api/moderation/stories?status=pending', { as: mona })
  t.notOk(after.items.some((item: any) => item.storyId === linkStory), 'the queue is done with it')
})

t.test('a live view of the jacket hears each new event; a reconnect catches up', async t => {
  const live = await api.listen(`GET /api/products/${jacket.productId}/live`)
  t.teardown(live.close)
  t.equal(live.status, 200)
  t.match(live.contentType, /^text\/event-stream/)
  const consent = (visibility: string) => api.call(t, `PUT /api/ownership/${jacket.productId}/consent`, { as: bob, body: { visibility } })

  const heard = await consent('anonymous')
  const [message] = await live.next(1)
  t.equal(message!.id, heard.position, 'id: is the log position')
  const { events } = await api.call(t, `GET /api/products/${jacket.productId}/history`)
  t.same(JSON.parse(message!.data!), events.find((event: any) => event.position === heard.position), 'the event in its public form, as in /history')
  t.equal(JSON.parse(message!.data!).type, 'ConsentChanged')
  live.close()

  const missed = [(await consent('public')).position, (await consent('anonymous')).position]
  const resumed = await api.listen(`GET /api/products/${jacket.productId}/live`, { headers: { 'last-event-id': message!.id! } })
  t.teardown(resumed.close)
  t.same((await resumed.next(2)).map(message => message.id), missed, 'Last-Event-ID: what was missed, in order')
  const later = await consent('public')
  t.same((await resumed.next(1)).map(message => message.id), [later.position], 'then live again, nothing repeated')

  await api.refused(t, 'GET /api/products/no-such-product/live', {}, 404)
  await api.refused(t, `GET /api/products/${jacket.productId}/live`, { headers: { 'last-event-id': 'yesterday' } }, 400)
})

t.test('read-your-writes: a read with x-min-position right after a write sees it', async t => {
  for (const visibility of ['anonymous', 'public', 'anonymous', 'public']) {
    const { position } = await api.call(t, `PUT /api/ownership/${jacket.productId}/consent`, { as: bob, body: { visibility } })
    const { owners } = await api.call(t, `GET /api/ownership/${jacket.productId}/history`, { headers: { 'x-min-position': position } })
    t.equal(owners[2].visibility, visibility, `read after the write at ${position}`)
    const { currentOwner } = await api.call(t, `GET /api/products/${jacket.qrCode}`, { headers: { 'x-min-position': position } })
    t.same(currentOwner, visibility === 'public' ? { userId: bob.userId, displayName: 'Bob' } : null, `the scan shows Bob only when public`)
  }
  const reprinted = await api.call(t, `POST /api/products/${beanie.productId}/qr`, { as: brand }, 201)
  beanie = { ...beanie, qrCode: reprinted.qrCode, qrUrl: reprinted.qrUrl }
  const details = await api.call(t, `GET /api/products/${beanie.productId}/details`, { headers: { 'x-min-position': reprinted.position } })
  t.equal(details.qr?.code, beanie.qrCode, 'the details show the new code')
  await api.refused(t, `GET /api/products/${beanie.productId}/details`, { headers: { 'x-min-position': 'soon' } }, 400)

  const started = Date.now()
  const never = String(Number(reprinted.position) + 1_000_000)
  await api.call(t, `GET /api/products/${beanie.productId}/details`, { headers: { 'x-min-position': never } })
  t.ok(Date.now() - started < 4000, 'a position never reached is waited for a bounded time, then answered', { waitedMs: Date.now() - started })
})

/** What a phone does with a label: a Digital Link answers 307 to the passport page, opened here on this server. */
const scanLabel = async (t: Test, qrUrl: string, headers: Record<string, string> = {}) => {
  const answer = await api.send(`GET ${opened(qrUrl)}`, { headers, redirect: 'manual' })
  const location = answer.headers.get('location')
  if (location === null) return answer
  expectStatus(t, answer, 307)
  return api.send(`GET ${opened(location)}`, { headers })
}

t.test('a phone scanning a label gets a page; an app asking for JSON gets the scan', async t => {
  const page = await scanLabel(t, jacket.qrUrl, { accept: 'text/html' })
  expectStatus(t, page, 200)
  t.match(page.contentType, /^text\/html/)
  t.match(page.text, /^<!doctype html>/i)
  for (const shown of [JACKET.name, BRAND_NAME, 'Authentic', 'Caught in the rain', `/api/media/${photo.mediaId}`]) t.match(page.text, shown, `shows ${shown}`)
  t.notMatch(page.text, /<script/i, 'no JavaScript')
  t.notMatch(page.text, 'Alice', 'Alice, hidden, is named nowhere, not even as an author')

  const asJson = await api.call(t, `GET ${opened(jacket.qrUrl)}`, { headers: { accept: 'application/json' } })
  const scanned = await api.call(t, `GET /api/products/${jacket.qrCode}`)
  t.same({ ...asJson, authenticity: null }, { ...scanned, authenticity: null }, 'the JSON of GET /api/products/{qrCode}')
  t.equal(asJson.authenticity.status, 'authentic')

  const beaniePage = await scanLabel(t, beanie.qrUrl)
  expectStatus(t, beaniePage, 200)
  t.match(beaniePage.text, 'Merino beanie')
  t.match(await api.call(t, `GET /p/${firstCode}`, { headers: { accept: 'application/json' } }), { productId: jacket.productId, authenticity: { status: 'revoked' } })
  t.match((await api.send(`GET /p/${firstCode}`)).text, /revoked/i, 'the page of a reprinted label says so')

  const forged = await api.send(`GET /p/${forgedCode}`)
  expectStatus(t, forged, 404)
  t.match(forged.contentType, /^text\/html/)
  await api.refused(t, `GET /p/${forgedCode}`, { headers: { accept: 'application/json' } }, 404)
  const gs1 = new URL(jacket.qrUrl)
  await api.refused(t, `GET ${gs1.pathname.replace(/WJ-0001$/, 'WJ-0002')}${gs1.search}`, { headers: { accept: 'application/json' } }, 404)
})

t.test('an edit goes through moderation again, and Mona rejects it', async t => {
  await api.refused(t, `PUT /api/stories/${linkStory}`, { as: carol, body: { title: 'Mine now' } }, 403)
  const edited = await api.call(t, `PUT /api/stories/${linkStory}`, { as: bob, body: { body: 'Call them on +351 912 345 678' } })
  t.match(edited, { storyId: linkStory, status: 'pending' })
  t.same(await storyTitles(t), ['My week with it', 'Caught in the rain'], 'out of sight while it waits')
  expectProblem(t, await api.send(`GET /api/media/${receipt.mediaId}`), [401, 403, 404])

  await api.call(t, `POST /api/moderation/stories/${linkStory}/decision`, { as: mona, body: { decision: 'reject', reason: 'no phone numbers' } })
  t.same(await storyTitles(t, bob), ['My week with it', 'Caught in the rain'], 'a rejected story is not shown, not even to its author')
  expectProblem(t, await api.send(`GET /api/media/${receipt.mediaId}`), [401, 403, 404])
})

t.test('Bob deletes a story, Mona deletes Alice\'s: their text and photos disappear', async t => {
  await api.refused(t, `DELETE /api/stories/${rainStory}`, { as: carol }, 403)
  await api.call(t, `DELETE /api/stories/${rainStory}`, { as: bob }, 204)
  await api.call(t, `DELETE /api/stories/${aliceStory}`, { as: mona }, 204)
  const stories = await eventually(
    () => api.send(`GET /api/stories/${jacket.productId}`),
    reply => !reply.text.includes(rainStory) && !reply.text.includes(aliceStory),
  )
  t.same(stories.json.items, [], 'gone from the list')
  t.equal((await api.call(t, `GET /api/products/${jacket.productId}/details`)).storiesCount, 0, 'and from the count')
  const page = await api.send(`GET /p/${jacket.qrCode}`)
  t.notMatch(page.text, 'Caught in the rain', 'and from the page')
  t.notMatch(page.text, `/api/media/${photo.mediaId}`, 'photo included')
  t.notMatch(JSON.stringify(await api.call(t, `GET /api/products/${jacket.productId}/history`)), 'Kept me dry', 'and from the history')
  expectProblem(t, await api.send(`GET /api/media/${photo.mediaId}`), [401, 403, 404])
  await api.refused(t, `DELETE /api/stories/${rainStory}`, { as: bob }, 404)
})

t.test("Bob's inbox holds what happened to him", async t => {
  const inbox = await api.call(t, 'GET /api/notifications', { as: bob })
  t.match(inbox, { items: Array, nextCursor: null })
  const types = inbox.items.map((item: any) => item.type).sort()
  t.same(types, ['product_received', 'story_approved', 'story_rejected'], 'received, approved, rejected')
  for (const item of inbox.items) t.match(item, { id: String, type: String, productId: jacket.productId, createdAt: String, read: false })
  const first = await api.call(t, 'GET /api/notifications?limit=2', { as: bob })
  const rest = await api.call(t, `GET /api/notifications?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`, { as: bob })
  t.same([...first.items, ...rest.items], inbox.items, 'paged with a cursor')
  await api.refused(t, 'GET /api/notifications', {}, 401)
})

t.test('the admin audits the raw log', async t => {
  const stream = `product-${jacket.productId}`
  await api.refused(t, `GET /api/audit/events?streamId=${stream}`, { as: alice }, 403)
  await api.refused(t, `GET /api/audit/events?streamId=${stream}`, {}, 401)

  await api.call(t, `PUT /api/ownership/${jacket.productId}/consent`, { as: bob, body: { visibility: 'anonymous' }, headers: { 'x-correlation-id': 'walk-consent-1' } })
  const { items } = await api.call(t, `GET /api/audit/events?streamId=${stream}&limit=100`, { as: admin })
  t.same(items.map((event: any) => event.revision), items.map((_: unknown, i: number) => i), 'the whole stream, in order')
  for (const event of items) {
    t.match(event, {
      position: /^\d+$/,
      streamId: stream,
      type: String,
      metadata: { eventId: String, occurredAt: String, actorId: String, correlationId: String, causationId: String, schemaVersion: Number, hash: String },
    })
  }
  t.equal(items.at(-1).metadata.correlationId, 'walk-consent-1', 'the correlation id the client sent')

  const transfers = await api.call(t, `GET /api/audit/events?streamId=${stream}&type=OwnershipTransferred`, { as: admin })
  t.same(transfers.items.map((event: any) => event.metadata.actorId), [brand.userId, bob.userId])
  const byBob = await api.call(t, `GET /api/audit/events?actorId=${bob.userId}&limit=100`, { as: admin })
  t.ok(byBob.items.length > 0 && byBob.items.every((event: any) => event.metadata.actorId === bob.userId), 'filtered by actor')
  t.same((await api.call(t, 'GET /api/audit/events?from=2999-01-01T00:00:00Z', { as: admin })).items, [], 'nothing from the future')

  const account = JSON.stringify(await api.call(t, `GET /api/audit/events?streamId=user-${alice.userId}`, { as: admin }))
  t.match(account, 'UserRegistered', 'her account stream')
  t.notMatch(account, alice.email, 'her email is not in the log in clear')
  t.notMatch(account, /scrypt\$/, 'nor her password hash')

  const whole = await api.call(t, 'GET /api/audit/events', { as: admin })
  t.equal(whole.items.length, 20, 'a page holds 20 unless asked')
  t.type(whole.nextCursor, 'string')
  const first = await api.call(t, 'GET /api/audit/events?limit=2', { as: admin })
  t.equal(first.items.length, 2)
  t.type(first.nextCursor, 'string')
  const second = await api.call(t, `GET /api/audit/events?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`, { as: admin })
  t.ok(Number(second.items[0].position) > Number(first.items[1].position), 'the next page goes on from there')
})

closeWalk(t, walk)
