import t from 'tap'
import { bearer } from '../../test/testing/harness.ts'
import { appendProductEvents, scenario } from '../testing/app.ts'

const s = await scenario()
t.teardown(() => s.close())
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])
await s.ctx.media.put('photo-1', { body: png, contentType: 'image/png', size: png.length, uploaderId: s.alice.userId })
await s.ctx.media.put('draft-1', { body: png, contentType: 'image/png', size: png.length, uploaderId: s.bob.userId })
const media = (id: string, headers = {}) => s.app.inject({ method: 'GET', url: `/api/media/${id}`, headers })

t.test("a published story's photo is for anyone, with its content type", async t => {
  const response = await media('photo-1')
  t.equal(response.statusCode, 200)
  t.equal(response.headers['content-type'], 'image/png')
  t.same(response.rawPayload, png)
})

t.test('any other upload only for its uploader', async t => {
  t.equal((await media('draft-1', bearer(s.bob.token))).statusCode, 200)
  t.equal((await media('draft-1', bearer(s.alice.token))).statusCode, 403)
  t.equal((await media('draft-1')).statusCode, 401)
  t.equal((await media('missing-1', bearer(s.bob.token))).statusCode, 404)
  t.equal((await media('..%2Fetc')).statusCode, 400)
})

t.test('a store that serves files itself gets a redirect', async t => {
  const signedUrl = s.ctx.media.signedUrl
  s.ctx.media.signedUrl = async id => `https://media.example/${id}?signature=x`
  t.teardown(() => {
    s.ctx.media.signedUrl = signedUrl
  })
  const response = await media('photo-1')
  t.equal(response.statusCode, 302)
  t.equal(response.headers.location, 'https://media.example/photo-1?signature=x')
})

t.test('a photo in two stories is public while either is published', async t => {
  const { productId, bob } = s
  const storyId = `${productId}_s3`
  const at = '2024-06-10T00:00:00.000Z'
  const append = async (event: Parameters<typeof appendProductEvents>[2][number]['event']) => ({
    'x-min-position': String(await appendProductEvents(s.ctx, productId, [{ actorId: bob.userId, at, event }])),
  })
  const submitted = await append({
    type: 'StorySubmitted',
    data: { productId, storyId, authorId: bob.userId, title: 'Mine now', body: 'Same photo', occurredAt: at, mediaIds: ['photo-1'], status: 'pending', submittedAt: at },
  })
  t.equal((await media('photo-1', submitted)).statusCode, 200, 'a second story waiting for moderation hides nothing')
  const deleted = await append({ type: 'StoryDeleted', data: { productId, storyId: s.stories.published, deletedBy: s.alice.userId, deletedAt: at } })
  t.equal((await media('photo-1', deleted)).statusCode, 401, 'no published story shows it any more')
  const approved = await append({
    type: 'StoryModerated',
    data: { productId, storyId, moderatorId: bob.userId, decision: 'approve', status: 'published', moderatedAt: at },
  })
  t.equal((await media('photo-1', approved)).statusCode, 200, 'the other story shows it now')
})
