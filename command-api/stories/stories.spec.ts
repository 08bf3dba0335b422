import t from 'tap'
import { registerUser, type TestUser } from '../../test/testing/harness.ts'
import { call, isProblem, newProduct, testApp, uploadPng } from '../testing/specSupport.ts'

const { app } = await testApp(t)
const [brand, owner, stranger, moderator] = await Promise.all([
  registerUser(app, { accountType: 'brand' }),
  registerUser(app),
  registerUser(app),
  registerUser(app, { roles: ['moderator'] }),
])

/** A product the owner received from the brand. */
async function ownedProduct(): Promise<string> {
  const { productId } = await newProduct(app, brand)
  await call(app, 'POST', '/ownership/transfer', { as: brand, payload: { productId, toUserId: owner.userId } })
  return productId
}

const tell = (as: TestUser, payload: object) => call(app, 'POST', '/stories', { as, payload })
const story = (title = 'First wear', body = 'Wore it to a wedding in Porto.') => ({ title, body })

async function toldStory(productId: string, content = story()): Promise<string> {
  return (await tell(owner, { productId, ...content })).json().storyId
}

t.test('POST /stories', async t => {
  const productId = await ownedProduct()
  const told = await tell(owner, { productId, ...story(), occurredAt: '2024-06-01T12:00:00Z' })
  t.equal(told.statusCode, 201)
  t.match(told.json(), { storyId: new RegExp(`^${productId}_`), status: 'published', position: /^\d+$/ })
  t.equal(told.headers.etag, '"3"')

  t.match((await tell(owner, { productId, ...story('Sale', 'Buy more at www.example.com') })).json(), { status: 'pending' }, 'a link waits for a moderator')
  t.ok(isProblem(await tell(stranger, { productId, ...story() }), 403), 'never an owner')
  t.ok(isProblem(await tell(owner, { productId: '01NOSUCHPRODUCT', ...story() }), 404), 'an unknown product')
  t.ok(isProblem(await tell(owner, { productId, ...story(), occurredAt: '2999-01-01T00:00:00Z' }), 422), 'in the future')
  t.ok(isProblem(await tell(owner, { productId, ...story(), occurredAt: 'yesterday' }), 400), 'not a time')
})

t.test('a story shows only its author’s own uploads', async t => {
  const productId = await ownedProduct()
  const mine = await uploadPng(app, owner)
  const theirs = await uploadPng(app, stranger)
  t.equal((await tell(owner, { productId, ...story(), mediaIds: [mine] })).statusCode, 201)
  t.ok(isProblem(await tell(owner, { productId, ...story(), mediaIds: [mine, theirs] }), 422), "someone else's image")
  t.ok(isProblem(await tell(owner, { productId, ...story(), mediaIds: ['01NOSUCHMEDIA'] }), 422), 'an image that does not exist')
  t.ok(isProblem(await tell(owner, { productId, ...story(), mediaIds: [mine, mine] }), 400), 'the same image twice')
})

t.test('PUT /stories/{storyId}', async t => {
  const productId = await ownedProduct()
  const storyId = await toldStory(productId)
  const edit = (as: TestUser, payload: object, id = storyId, headers = {}) => call(app, 'PUT', `/stories/${id}`, { as, payload, headers })

  const edited = await edit(owner, { title: 'Second wear' })
  t.equal(edited.statusCode, 200)
  t.match(edited.json(), { storyId, status: 'published', position: /^\d+$/ })
  t.match((await edit(owner, { body: 'mail me at someone@example.com' })).json(), { status: 'pending' }, 'an edit is moderated again')
  t.ok(isProblem(await edit(stranger, { title: 'Mine now' }), 403), 'not the author')
  t.ok(isProblem(await edit(owner, { title: 'x' }, 'no-product-in-it'), 404), 'an id naming no product')
  t.ok(isProblem(await edit(owner, { title: 'x' }, `${productId}_01NOSUCHSTORY`), 404), 'an unknown story')
  t.ok(isProblem(await edit(owner, {}), 400), 'nothing to change')
  t.ok(isProblem(await edit(owner, { title: 'x' }, storyId, { 'if-match': '"1"' }), 412), 'a stale If-Match')
  t.ok(isProblem(await edit(owner, { mediaIds: [await uploadPng(app, stranger)] }), 422), "someone else's image")
})

t.test('DELETE /stories/{storyId}', async t => {
  const productId = await ownedProduct()
  const [mine, moderated] = [await toldStory(productId), await toldStory(productId)]
  t.ok(isProblem(await call(app, 'DELETE', `/stories/${mine}`, { as: stranger }), 403), 'neither author nor moderator')
  const deleted = await call(app, 'DELETE', `/stories/${mine}`, { as: owner })
  t.equal(deleted.statusCode, 204)
  t.equal(deleted.body, '')
  t.ok(isProblem(await call(app, 'DELETE', `/stories/${mine}`, { as: owner }), 404), 'already deleted')
  t.equal((await call(app, 'DELETE', `/stories/${moderated}`, { as: moderator })).statusCode, 204, 'a moderator')
  t.ok(isProblem(await call(app, 'DELETE', '/stories/garbage', { as: owner }), 404), 'an id naming no product')
})

t.test('POST /moderation/stories/{storyId}/decision', async t => {
  const productId = await ownedProduct()
  const storyId = await toldStory(productId, story('Shop', 'see www.example.com'))
  const decide = (as: TestUser, payload: object, id = storyId) => call(app, 'POST', `/moderation/stories/${id}/decision`, { as, payload })

  const approved = await decide(moderator, { decision: 'approve' })
  t.equal(approved.statusCode, 200)
  t.match(approved.json(), { storyId, status: 'published', position: /^\d+$/ })
  t.match((await decide(moderator, { decision: 'reject', reason: 'advertising' })).json(), { status: 'rejected' })
  t.ok(isProblem(await decide(owner, { decision: 'approve' }), 403), 'not a moderator')
  t.ok(isProblem(await decide(moderator, { decision: 'maybe' }), 400), 'an unknown decision')
  t.ok(isProblem(await decide(moderator, { decision: 'approve' }, `${productId}_01NOSUCHSTORY`), 404), 'an unknown story')
})
