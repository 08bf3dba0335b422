import t from 'tap'
import { scenario } from './testing/scenario.ts'
import { dump, projectAll, projected } from './testing/store.ts'

const { events } = scenario()

t.test('replaying any range of events again changes nothing in any collection', async t => {
  const store = await projected(events)
  const once = await dump(store)
  const ranges = [[0, events.length], [5, 20], [10, 11], [events.length - 3, events.length]] as const
  for (const [from, to] of ranges) {
    await projectAll(store, events.slice(from, to))
    t.strictSame(await dump(store), once, `positions ${from + 1}..${to}`)
  }
})
