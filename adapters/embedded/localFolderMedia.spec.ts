import { readdirSync } from 'node:fs'
import t from 'tap'
import { mediaContract } from '../testing/media.contract.ts'
import { LocalFolderMedia } from './localFolderMedia.ts'

const dir = t.testdir()
mediaContract(t, async () => new LocalFolderMedia(`${dir}/media`))

t.test('nothing lands outside the folder', async t => {
  t.same(readdirSync(dir), ['media'])
})
