import t from 'tap'
import { SqliteReadModelStore } from '../readmodels/sqlite.ts'
import { watchCheckpoints } from './checkpointWatch.ts'

t.test('a position is reached once every named checkpoint holds it', async t => {
  const store = new SqliteReadModelStore(':memory:')
  t.teardown(() => store.close())
  const errors: unknown[] = []
  const waitForPosition = watchCheckpoints(store, ['a', 'b'], { intervalMs: 5, onError: error => errors.push(error) })

  t.equal(await waitForPosition(0, 0), true, 'nothing to wait for')
  const waiting = waitForPosition(5, 2000)
  await store.setCheckpoint('a', 7)
  await new Promise(resolve => setTimeout(resolve, 30))
  await store.setCheckpoint('b', 5)
  t.equal(await waiting, true)
  t.equal(await waitForPosition(6, 50), false, 'b has not reached 6')
  await store.setCheckpoint('b', 9)
  t.equal(await waitForPosition(6, 2000), true)
  t.same(errors, [])
})

t.test('unreadable checkpoints time the wait out and are reported', async t => {
  const store = new SqliteReadModelStore(':memory:')
  await store.close()
  const errors: unknown[] = []
  const waitForPosition = watchCheckpoints(store, ['a'], { onError: error => errors.push(error) })
  t.equal(await waitForPosition(1, 50), false)
  t.equal(errors.length, 1)
})
