import t from 'tap'
import { bearer } from '../../test/harness.ts'
import { scenario } from '../testing/app.ts'

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
