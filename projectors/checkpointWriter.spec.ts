import t from 'tap'
import type { ReadModelStore } from '../readmodels/port.ts'
import { CheckpointWriter } from './checkpointWriter.ts'

/** A store whose checkpoint writes wait until released, and fail while `failing`. */
function slowStore() {
  const writes: number[] = []
  const waiting: (() => void)[] = []
  const state = { failing: false }
  const store = {
    setCheckpoint: (_name: string, position: number) =>
      new Promise<void>((resolve, reject) =>
        waiting.push(() => {
          if (state.failing) return reject(new Error('the store is down'))
          writes.push(position)
          resolve()
        }),
      ),
  } as unknown as ReadModelStore
  const releaseAll = async () => {
    while (waiting.length > 0) {
      waiting.shift()!()
      await new Promise(resolve => setImmediate(resolve))
    }
  }
  return { store, writes, releaseAll, state }
}

t.test('a burst of positions is stored with one write in flight, the next one carrying the newest', async t => {
  const { store, writes, releaseAll } = slowStore()
  const checkpoint = new CheckpointWriter(store, 'consumer', 0, () => t.fail("no error expected"), 0)
  for (let position = 1; position <= 100; position++) checkpoint.advance(position)
  await releaseAll()
  await checkpoint.flush()
  t.same(writes, [1, 100])
})

t.test('positions at or below the stored one write nothing', async t => {
  const { store, writes, releaseAll } = slowStore()
  const checkpoint = new CheckpointWriter(store, 'consumer', 7, () => t.fail("no error expected"), 0)
  checkpoint.advance(7)
  checkpoint.advance(3)
  await releaseAll()
  await checkpoint.flush()
  t.same(writes, [])
})

t.test('a failed write is reported, and the position written at the next flush', async t => {
  const { store, writes, releaseAll, state } = slowStore()
  const errors: unknown[] = []
  const checkpoint = new CheckpointWriter(store, 'consumer', 0, error => errors.push(error), 0)
  state.failing = true
  checkpoint.advance(5)
  await releaseAll()
  t.equal(errors.length, 1)
  state.failing = false
  const flushed = checkpoint.flush()
  await new Promise(resolve => setImmediate(resolve))
  await releaseAll()
  await flushed
  t.same(writes, [5])
})

t.test('positions that move within the gathering interval are stored by one write, carrying the newest', async t => {
  const writes: number[] = []
  const store = { setCheckpoint: async (_name: string, position: number) => void writes.push(position) } as unknown as ReadModelStore
  const checkpoint = new CheckpointWriter(store, 'consumer', 0, () => t.fail('no error expected'), 50)
  for (let position = 1; position <= 10; position++) {
    checkpoint.advance(position)
    await new Promise(resolve => setImmediate(resolve))
  }
  await checkpoint.flush()
  t.same(writes, [10])
})
