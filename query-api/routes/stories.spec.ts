import t from 'tap'
import { bearer, registerUser } from '../../test/testing/harness.ts'
import { EVIL, scenario } from '../testing/app.ts'

const s = await scenario()
t.teardown(() => s.close())
const stories = (headers = {}) => s.app.inject({ method: 'GET', url: `/api/stories/${s.productId}`, headers })

t.test('anyone reads the published stories', async t => {
  const response = await stories()
  t.equal(response.statusCode, 200)
  t.match(response.json(), {
    items: [
      {
        storyId: s.stories.published,
        productId: s.productId,
        title: `Rain ${EVIL}`,
        status: 'published',
        author: null,
        media: [{ mediaId: 'photo-1', url: '/api/media/photo-1' }],
      },
    ],
    nextCursor: null,
  })
  t.equal(response.json().items.length, 1)
})

t.test('the author also sees her pending story, oldest occurredAt first', async t => {
  const items = (await stories(bearer(s.alice.token))).json().items
  t.same(items.map((story: { storyId: string }) => story.storyId), [s.stories.pending, s.stories.published])
  t.equal((await stories(bearer(s.bob.token))).json().items.length, 1, 'others do not')
  t.equal((await s.app.inject({ method: 'GET', url: '/api/stories/unknown' })).statusCode, 404)
})

t.test('the moderation queue is for moderators', async t => {
  const moderator = await registerUser(s.app, { roles: ['moderator'] })
  const url = '/api/moderation/stories?status=pending'
  const response = await s.app.inject({ method: 'GET', url, headers: bearer(moderator.token) })
  t.equal(response.statusCode, 200)
  t.match(response.json(), { items: [{ storyId: s.stories.pending, authorId: s.alice.userId, author: { displayName: 'Alice' } }], nextCursor: null })
  t.equal((await s.app.inject({ method: 'GET', url, headers: bearer(s.alice.token) })).statusCode, 403)
  t.equal((await s.app.inject({ method: 'GET', url })).statusCode, 401)
  t.equal((await s.app.inject({ method: 'GET', url: '/api/moderation/stories?status=bogus', headers: bearer(moderator.token) })).statusCode, 400)
})
