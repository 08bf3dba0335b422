import { Readable } from 'node:stream'
import sharp from 'sharp'
import t from 'tap'
import { loadConfig } from '../../app/config.ts'
import { registerUser } from '../../test/testing/harness.ts'
import { call, isProblem, multipart, PNG, testApp } from '../testing/specSupport.ts'
import { MAX_MEDIA_BYTES } from './routes.ts'

const image = (format: 'jpeg' | 'webp') => sharp({ create: { width: 8, height: 6, channels: 3, background: 'teal' } }).toFormat(format).toBuffer()
const [JPEG, WEBP] = [await image('jpeg'), await image('webp')]

const limits = { ...loadConfig({ DATA_DIR: t.testdir() }).limits, uploadsPerMinute: 1000, uploadsPerDay: 1000 }
const { app, ctx } = await testApp(t, { config: { limits } })
const user = await registerUser(app)
const upload = (body: ReturnType<typeof multipart>, as: typeof user | null = user) => call(app, 'POST', '/media', { as: as ?? undefined, ...body })

t.test('the type comes from the bytes, not the name or the declared type', async t => {
  const uploaded = await upload(multipart(PNG, 'holiday.jpg', 'image/jpeg'))
  t.equal(uploaded.statusCode, 201)
  const { mediaId, size } = uploaded.json()
  t.same(uploaded.json(), { mediaId, url: `/api/media/${mediaId}`, contentType: 'image/png', size })
  t.match(await ctx.media.get(mediaId), { contentType: 'image/png', size, uploaderId: user.userId })

  t.match((await upload(multipart(JPEG, 'a.bin', 'application/octet-stream'))).json(), { contentType: 'image/jpeg' })
  t.match((await upload(multipart(WEBP, 'a', 'text/plain'))).json(), { contentType: 'image/webp' })
})

t.test('a photo is stored without its metadata: no EXIF, GPS, XMP, IPTC or comment', async t => {
  const tagged = await sharp({ create: { width: 64, height: 48, channels: 3, background: 'red' } })
    .jpeg()
    .withExif({ IFD0: { ImageDescription: 'at home', Copyright: 'Alice' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 30/1', GPSLongitudeRef: 'E', GPSLongitude: '2/1 17/1 40/1' } })
    .toBuffer()
  const sent = await sharp(tagged).metadata()
  const gpsPointer = (exif: Buffer | undefined) => exif !== undefined && (exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88])))
  t.ok(gpsPointer(sent.exif), 'the photo sent carries a GPS block')
  t.ok(tagged.includes(Buffer.from('at home')))

  const uploaded = await upload(multipart(tagged, 'photo.jpg', 'image/jpeg'))
  t.equal(uploaded.statusCode, 201)
  const stored = (await ctx.media.get(uploaded.json().mediaId))!
  const kept = await sharp(stored.body).metadata()
  t.match(kept, { format: 'jpeg', width: 64, height: 48 })
  t.same([kept.exif, kept.xmp, kept.iptc, kept.comments], [undefined, undefined, undefined, undefined], 'no metadata block')
  for (const trace of ['Exif', 'at home', 'Alice', 'http://ns.adobe.com/xap']) t.notOk(stored.body.includes(Buffer.from(trace)), `no "${trace}" in the bytes`)
  t.equal(uploaded.json().size, stored.body.length, 'the size is that of what is stored')
})

t.test('refusals', async t => {
  const text = await upload(multipart(Buffer.from('just some text'), 'photo.png', 'image/png'))
  t.ok(isProblem(text, 415), 'text named .png')
  t.not(text.headers.connection, 'close', 'a small body is read to its end, so that the client reads the refusal')
  const longText = await upload(multipart(Buffer.alloc(1024 * 1024, 'text '), 'photo.png', 'image/png'))
  t.ok(isProblem(longText, 415), 'a megabyte of text named .png')
  t.equal(longText.headers.connection, 'close', 'refused before the rest of a large body is read, the connection is closed')
  const gif = Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(32)])
  t.ok(isProblem(await upload(multipart(gif, 'a.gif', 'image/gif')), 415), 'a GIF')
  const broken = Buffer.concat([JPEG.subarray(0, 200), Buffer.alloc(64)])
  t.ok(isProblem(await upload(multipart(broken, 'a.jpg', 'image/jpeg')), 415), 'a JPEG that cannot be decoded')
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

t.test('uploads per user are limited per minute and per day', async t => {
  const limited = await testApp(t, { config: { limits: { ...limits, uploadsPerMinute: 2, uploadsPerDay: 3 } } })
  const [first, second] = [await registerUser(limited.app), await registerUser(limited.app)]
  const send = (as: typeof first) => call(limited.app, 'POST', '/media', { as, ...multipart(PNG, 'a.png', 'image/png') })
  const statuses = [(await send(first)).statusCode, (await send(first)).statusCode]
  const third = await send(first)
  t.same([...statuses, third.statusCode], [201, 201, 429], 'two a minute')
  t.ok(Number(third.headers['retry-after']) > 0)
  t.equal((await send(second)).statusCode, 201, 'another user has a rate of their own')

  let now = Date.parse('2026-01-01T23:30:00Z')
  const daily = await testApp(t, { config: { limits: { ...limits, uploadsPerDay: 2 } }, clock: () => new Date(now) })
  const user = await registerUser(daily.app)
  const day = () => call(daily.app, 'POST', '/media', { as: user, ...multipart(PNG, 'a.png', 'image/png') })
  t.same([(await day()).statusCode, (await day()).statusCode], [201, 201])
  const over = await day()
  t.equal(over.statusCode, 429, 'the quota of the day')
  t.equal(over.headers['retry-after'], String(30 * 60), 'until the day is over (UTC)')
  now += 30 * 60_000
  t.equal((await day()).statusCode, 201, 'a new day')
})

t.test('bytes uploaded per user are limited per day, counted as received', async t => {
  let now = Date.parse('2026-01-01T23:30:00Z')
  const photo = multipart(JPEG, 'a.jpg', 'image/jpeg')
  const quota = Math.floor(JPEG.length * 2.5)
  const bytes = await testApp(t, { config: { limits: { ...limits, uploadBytesPerDay: quota } }, clock: () => new Date(now) })
  const [user, other] = [await registerUser(bytes.app), await registerUser(bytes.app)]
  const send = (as: typeof user) => call(bytes.app, 'POST', '/media', { as, ...photo })
  t.same([(await send(user)).statusCode, (await send(user)).statusCode], [201, 201], 'two photos fit')
  const third = await send(user)
  t.ok(isProblem(third, 429), 'the third takes the day beyond its bytes')
  t.equal(third.headers['retry-after'], String(30 * 60), 'until the day is over (UTC)')
  t.match(third.json().detail, `at most ${quota} bytes`)
  const fourth = await send(user)
  t.ok(isProblem(fourth, 429), 'the day spent, the next is refused before its body is read')
  t.equal((await send(other)).statusCode, 201, 'another user has bytes of their own')
  now += 30 * 60_000
  t.equal((await send(user)).statusCode, 201, 'a new day')
})
