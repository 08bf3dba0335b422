import { Readable } from 'node:stream'
import t from 'tap'
import { registerUser } from '../../test/testing/harness.ts'
import { call, isProblem, multipart, PNG, testApp } from '../testing/specSupport.ts'
import { MAX_MEDIA_BYTES } from './routes.ts'

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0'), Buffer.alloc(64)])
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x24, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(64)])

const { app, ctx } = await testApp(t)
const user = await registerUser(app)
const upload = (body: ReturnType<typeof multipart>, as: typeof user | null = user) => call(app, 'POST', '/media', { as: as ?? undefined, ...body })

t.test('the type comes from the bytes, not the name or the declared type', async t => {
  const uploaded = await upload(multipart(PNG, 'holiday.jpg', 'image/jpeg'))
  t.equal(uploaded.statusCode, 201)
  const { mediaId } = uploaded.json()
  t.same(uploaded.json(), { mediaId, url: `/api/media/${mediaId}`, contentType: 'image/png', size: PNG.length })
  t.match(await ctx.media.get(mediaId), { contentType: 'image/png', size: PNG.length, uploaderId: user.userId })

  t.match((await upload(multipart(JPEG, 'a.bin', 'application/octet-stream'))).json(), { contentType: 'image/jpeg' })
  t.match((await upload(multipart(WEBP, 'a', 'text/plain'))).json(), { contentType: 'image/webp' })
})

t.test('refusals', async t => {
  t.ok(isProblem(await upload(multipart(Buffer.from('just some text'), 'photo.png', 'image/png')), 415), 'text named .png')
  const gif = Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(32)])
  t.ok(isProblem(await upload(multipart(gif, 'a.gif', 'image/gif')), 415), 'a GIF')
  const huge = Buffer.concat([PNG, Buffer.alloc(MAX_MEDIA_BYTES)])
  t.ok(isProblem(await upload(multipart(huge, 'big.png', 'image/png')), 413), 'more than 10 MB')
  t.ok(isProblem(await upload(multipart(PNG, 'a.png', 'image/png', 'photo')), 400), 'another field name')
  t.ok(isProblem(await upload(multipart(PNG, 'a.png', 'image/png'), null), 401), 'no token')
  t.ok(isProblem(await call(app, 'POST', '/media', { as: user, payload: { file: 'x' } }), 415), 'JSON, not multipart')
})

t.test('a file over the limit is refused even when a chunk of the request ends right at the limit', async t => {
  const huge = Buffer.concat([PNG, Buffer.alloc(MAX_MEDIA_BYTES)])
  const { payload, headers } = multipart(huge, 'big.png', 'image/png')
  const limitAt = payload.indexOf(huge) + MAX_MEDIA_BYTES
  const chunked = Readable.from([payload.subarray(0, limitAt), payload.subarray(limitAt)])
  const response = await call(app, 'POST', '/media', { as: user, payload: chunked, headers })
  t.ok(isProblem(response, 413), 'not stored cut short', { status: response.statusCode, body: response.body })
})
