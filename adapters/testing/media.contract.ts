import { randomBytes, randomUUID } from 'node:crypto'
import { Readable } from 'node:stream'
import type { Test } from 'tap'
import type { MediaStore, StoredMedia } from '../ports.ts'

/** What every MediaStore must do. */
export const mediaContract = (t: Test, open: () => Promise<MediaStore>): void => {
  const mediaId = () => randomUUID().replaceAll('-', '')
  const image = (contentType = 'image/png'): StoredMedia => {
    const body = randomBytes(2_048)
    return { body, contentType, size: body.length, uploaderId: 'user-1' }
  }
  let media: MediaStore
  t.before(async () => {
    media = await open()
  })
  t.teardown(() => media.close())

  t.test('what is put is got back, with its content type, size and uploader', async t => {
    const id = mediaId()
    const stored = image()
    await media.put(id, stored)
    const got = await media.get(id)
    t.same(got && { ...got, body: Buffer.from(got.body) }, stored)
  })

  t.test('a stream is stored whole, in chunks of any size', async t => {
    const id = mediaId()
    const chunks = [randomBytes(1), randomBytes(300_000), randomBytes(70_000), randomBytes(5)]
    const body = Buffer.concat(chunks)
    await media.put(id, { body: Readable.from(chunks), contentType: 'image/jpeg', size: body.length, uploaderId: 'user-2' })
    const got = await media.get(id)
    t.match(got, { contentType: 'image/jpeg', size: body.length, uploaderId: 'user-2' })
    t.ok(got && Buffer.from(got.body).equals(body))
  })

  t.test('a second put replaces the first', async t => {
    const id = mediaId()
    await media.put(id, image())
    const second = image('image/webp')
    await media.put(id, second)
    const got = await media.get(id)
    t.equal(got?.contentType, 'image/webp')
    t.ok(got?.body.equals(second.body))
  })

  t.test('unknown and deleted media read as null', async t => {
    t.equal(await media.get(mediaId()), null)
    const id = mediaId()
    await media.put(id, image())
    await media.delete(id)
    t.equal(await media.get(id), null)
    await media.delete(id)
    t.pass('deleting absent media is fine')
  })

  t.test('ids that could leave the store are refused', async t => {
    for (const id of ['../escape', 'a/b', '..', '', 'x.json', 'a\\b', '%2e%2e']) {
      await t.rejects(media.put(id, image()), `put ${JSON.stringify(id)}`)
      t.equal(await media.get(id), null, `get ${JSON.stringify(id)}`)
    }
  })

  t.test('a signed URL, where offered, serves the media', async t => {
    const id = mediaId()
    const stored = image()
    await media.put(id, stored)
    const url = await media.signedUrl(id, 60)
    if (url === null) return t.pass('this store has the API stream media itself')
    const response = await fetch(url)
    t.equal(response.status, 200)
    t.equal(response.headers.get('content-type'), stored.contentType)
    t.ok(Buffer.from(await response.arrayBuffer()).equals(stored.body))
  })
}
