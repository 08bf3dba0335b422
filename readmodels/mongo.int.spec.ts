import { randomUUID } from 'node:crypto'
import { MongoClient } from 'mongodb'
import t from 'tap'
import { serverSettings } from '../adapters/testing/servers.ts'
import { readModelContract } from './testing/readModelStore.contract.ts'
import { MongoReadModelStore } from './mongo.ts'

const settings = serverSettings(t, ['MONGODB_URL'])
if (settings) {
  // A database of its own, dropped at the end, so runs leave nothing behind on a shared server.
  const url = new URL(settings.MONGODB_URL)
  url.pathname = `/ptvem_test_${randomUUID().slice(0, 8)}`
  readModelContract(t, 'mongodb', () => MongoReadModelStore.connect(url.href))

  t.test('a batch of a few documents reads each one by its _id alone, which FerretDB answers from its key', async t => {
    // FerretDB v1 reads the whole collection for an `_id: { $in }` look-up: a live write's cost would grow with the collection.
    const client = await MongoClient.connect(url.href, { monitorCommands: true })
    const store = MongoReadModelStore.over(client)
    t.teardown(() => store.close())
    const coat = (id: string, position: number, colour: string) => ({ collection: 'point_reads', id, position, doc: { id, position, colour } })
    await store.write({ documents: Array.from({ length: 40 }, (_, n) => coat(`coat-${n}`, 1, 'grey')), checkpoints: new Map() })

    const filters: string[] = []
    client.on('commandStarted', ({ commandName, command }) => {
      if (commandName === 'find' && command.find === 'rm_point_reads') filters.push(JSON.stringify(command.filter))
    })
    await store.write({ documents: [coat('coat-3', 2, 'red'), coat('coat-40', 2, 'blue')], checkpoints: new Map([['point-reads', 2]]) })
    t.same(filters.sort(), ['{"_id":"coat-3"}', '{"_id":"coat-40"}'], 'one _id equality per document')
    t.match(await store.get('point_reads', 'coat-3'), { colour: 'red', position: 2 }, 'the stored document replaced')
    t.match(await store.get('point_reads', 'coat-40'), { colour: 'blue', position: 2 }, 'the new one inserted')
    t.equal((await store.find('point_reads', { limit: 100 })).items.length, 41, 'and no other touched')
  })
  t.teardown(async () => {
    const client = await MongoClient.connect(url.href)
    await client.db().dropDatabase()
    await client.close()
  })
}
