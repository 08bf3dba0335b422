import t, { type Test } from 'tap'
import { adminToken, bearer, registerUser, type TestUser } from '../../test/testing/harness.ts'
import { call, isProblem, newProduct, testApp, uploadPng } from '../testing/specSupport.ts'

const { app, ctx } = await testApp(t)
const [brand, stranger] = await Promise.all([registerUser(app, { accountType: 'brand' }), registerUser(app)])
const admin = { userId: 'admin', token: await adminToken(app) } as TestUser

const erase = (userId: string, as?: TestUser) => call(app, 'DELETE', `/admin/users/${userId}`, { as })
const get = (url: string, token?: string) => app.inject({ method: 'GET', url: `/api${url}`, headers: token ? bearer(token) : {} })
const caughtUp = async (t: Test) => t.ok(await ctx.waitForPosition(await ctx.eventLog.headPosition(), 10_000), 'the projections caught up')

/** A user who owns a product and tells a story about it with a photo, and everything of theirs that shows. */
async function storyteller() {
  const displayName = `Ottilie ${Math.random().toString(36).slice(2)}`
  const user = await registerUser(app, { displayName })
  const { productId } = await newProduct(app, brand)
  await call(app, 'POST', '/ownership/transfer', { as: brand, payload: { productId, toUserId: user.userId } })
  const photo = await uploadPng(app, user)
  const story = { title: 'Harbour morning', body: 'Mended the cuff in Lisbon' }
  const told = await call(app, 'POST', '/stories', { as: user, payload: { productId, ...story, mediaIds: [photo] } })
  if (told.statusCode !== 201) throw new Error(`story failed: ${told.body}`)
  return { user, productId, photo, personalData: [user.email, displayName, story.title, story.body, photo] }
}

/** Which of `personalData` the product's history and stories show. */
async function shown(t: Test, productId: string, personalData: string[]): Promise<string[]> {
  const pages = [await get(`/products/${productId}/history`), await get(`/stories/${productId}`)]
  t.same(pages.map(page => page.statusCode), [200, 200])
  return personalData.filter(value => pages.some(page => page.body.includes(value)))
}

t.test('an admin erases a user: they cannot sign in, their token stops, and their personal data and photos are gone', async t => {
  const { user, productId, photo, personalData } = await storyteller()
  await caughtUp(t)
  t.same(await shown(t, productId, personalData), personalData.slice(1), 'before: all but the email shows')
  t.equal((await get(`/media/${photo}`)).statusCode, 200, 'before: anyone sees the photo of a published story')

  const erased = await erase(user.userId, admin)
  t.equal(erased.statusCode, 204)
  t.equal(erased.body, '')

  t.ok(isProblem(await get('/auth/verify', user.token), 401), 'their token stops at once')
  t.ok(isProblem(await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: user.email, password: user.password } }), 401), 'login')
  t.ok(isProblem(await get(`/media/${photo}`), 404), 'the photo file is deleted')
  await caughtUp(t)
  t.same(await shown(t, productId, personalData), [], 'after: /history and /stories show none of it')
})

t.test('erasing again answers 204 and appends nothing; an unknown user is a 404, a body a 400', async t => {
  const { user } = await storyteller()
  t.ok(isProblem(await call(app, 'DELETE', `/admin/users/${user.userId}`, { as: admin, payload: { reason: 'asked' } }), 400))
  t.equal((await erase(user.userId, admin)).statusCode, 204)
  const head = await ctx.eventLog.headPosition()
  t.equal((await erase(user.userId, admin)).statusCode, 204, 'again')
  t.equal(await ctx.eventLog.headPosition(), head, 'nothing appended')
  t.ok(isProblem(await erase('01NOSUCHUSER', admin), 404))
})

t.test('only an admin may erase a user', async t => {
  const { user } = await storyteller()
  t.ok(isProblem(await erase(user.userId), 401), 'without a token')
  t.ok(isProblem(await erase(user.userId, stranger), 403), 'another user')
  t.ok(isProblem(await erase(user.userId, user), 403), 'the user themself, through the admin route')
  t.equal((await get('/auth/verify', user.token)).statusCode, 200, 'still there')
})

t.test('an erased user’s email is released: a new account may register with it', async t => {
  const user = await registerUser(app)
  t.equal((await erase(user.userId, admin)).statusCode, 204)
  const again = await app.inject({ method: 'POST', url: '/api/auth/register', payload: { email: user.email, password: user.password, displayName: 'New' } })
  t.equal(again.statusCode, 201)
  t.not(again.json().userId, user.userId)
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: user.email, password: user.password } })
  t.equal(login.statusCode, 200, 'and signs in as the new account')
})
