import { readdirSync, statSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { Readable } from 'node:stream'
import t from 'tap'
import { mediaContract } from '../testing/media.contract.ts'
import { LocalFolderMedia } from './localFolderMedia.ts'

const dir = t.testdir()
mediaContract(t, async () => new LocalFolderMedia(`${dir}/media`))

t.test('a stream is on disk as it is read, never held whole', async t => {
  const media = new LocalFolderMedia(`${dir}/streamed`)
  const chunk = Buffer.alloc(64 * 1024, 7)
  const halves = 80
  let resume!: () => void
  const paused = new Promise<void>(resolve => (resume = resolve))
  async function* tenMegabytes() {
    for (let i = 0; i < halves; i++) yield chunk
    await paused
    for (let i = 0; i < halves; i++) yield chunk
  }
  const stored = media.put('streamed1', { body: Readable.from(tenMegabytes()), contentType: 'image/png', size: 2 * halves * chunk.length, uploaderId: 'user-1' })
  const onDisk = () => readdirSync(`${dir}/streamed`).reduce((bytes, name) => bytes + statSync(`${dir}/streamed/${name}`).size, 0)
  while (onDisk() < halves * chunk.length) await sleep(5)
  t.equal(onDisk(), halves * chunk.length, 'the first half is on disk while the rest is yet to come')
  resume()
  await stored
  t.equal((await media.get('streamed1'))?.size, 2 * halves * chunk.length)
})

t.test('nothing lands outside the folder', async t => {
  t.same(readdirSync(dir).sort(), ['media', 'streamed'])
})
