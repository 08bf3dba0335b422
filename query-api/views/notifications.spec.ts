import t from 'tap'
import { streams } from '../../domain/ids.ts'
import type { ProjectedEvent, Recorded } from '../../projectors/projection.ts'
import { History } from '../../projectors/testing/history.ts'
import { projected } from '../../projectors/testing/store.ts'
import type { ReadModelStore } from '../../readmodels/port.ts'
import { findNotification, readNotifications } from './notifications.ts'

// 120 products given to carol, one to dave after every tenth of hers: carol's notifications span 3 pages.
const h = new History()
const productId = 'p-gift'
const give = (toUserId: string) =>
  h.add(streams.product(productId), 'OwnershipTransferred', now => ({ productId, fromUserId: 'brand', toUserId, via: 'transfer', at: now }))
const toCarol: Recorded<ProjectedEvent>[] = []
const toDave: Recorded<ProjectedEvent>[] = []
for (let i = 0; i < 120; i++) {
  toCarol.push(give('carol'))
  if (i % 10 === 9) toDave.push(give('dave'))
}
const store = await projected(h.events)
const positions = (events: readonly { position: number }[]) => events.map(event => event.position)

/** The store's get, counting the documents read. */
function counting(): Pick<ReadModelStore, 'get'> & { reads: number } {
  const readModels = {
    reads: 0,
    get: ((collection: string, id: string) => {
      readModels.reads++
      return store.get(collection, id)
    }) as ReadModelStore['get'],
  }
  return readModels
}

t.test('a page of notifications reads the inbox and the pages it spans, newest first', async t => {
  const readModels = counting()
  const page = await readNotifications(readModels, 'carol', 100)
  t.strictSame(positions(page.items), positions(toCarol.slice(20)).reverse())
  t.equal(readModels.reads, 4, 'the inbox and 3 pages')
  readModels.reads = 0
  const rest = await readNotifications(readModels, 'carol', 100, page.nextCursor!)
  t.strictSame(positions(rest.items), positions(toCarol.slice(0, 20)).reverse())
  t.equal(rest.nextCursor, null)
  t.equal(readModels.reads, 2, 'the inbox and page 0')
})

t.test("an event's notification is looked for from the last page back, no further than it can be", async t => {
  const find = async (userId: string, event: Recorded<ProjectedEvent>) => {
    const readModels = counting()
    const found = await findNotification(readModels, userId, event.metadata.eventId, event.position)
    return { found: found?.position ?? null, reads: readModels.reads }
  }
  t.strictSame(await find('carol', toCarol[119]!), { found: toCarol[119]!.position, reads: 2 }, 'the newest: the inbox and the last page')
  t.strictSame(await find('carol', toCarol[60]!), { found: toCarol[60]!.position, reads: 3 }, 'in the middle page')
  t.strictSame(await find('carol', toCarol[0]!), { found: toCarol[0]!.position, reads: 4 }, 'the oldest: every page')
  t.strictSame(await find('carol', toDave[11]!), { found: null, reads: 1 }, 'after her last one: the inbox says so')
  t.strictSame(await find('carol', toDave[10]!), { found: null, reads: 2 }, "someone else's, after her last page began: that page only")
  t.strictSame(await find('carol', toDave[5]!), { found: null, reads: 3 }, "someone else's, in her middle page")
  t.strictSame(await find('carol', toDave[0]!), { found: null, reads: 4 }, "someone else's, in her first page")
  t.strictSame(await find('dave', toDave[0]!), { found: toDave[0]!.position, reads: 2 }, 'his own')
  t.strictSame(await find('erin', toCarol[0]!), { found: null, reads: 1 }, 'no inbox')
})
