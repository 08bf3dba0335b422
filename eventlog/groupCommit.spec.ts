import t from 'tap'
import { GroupCommit } from './groupCommit.ts'

/** A GroupCommit over an in-memory "transaction" that doubles each number and refuses negatives. */
function doubling(maxGroup = 10, fail?: (requests: number[]) => Error | undefined) {
  const groups: number[][] = []
  const commits = new GroupCommit<number, number>(requests => {
    const error = fail?.(requests)
    if (error) throw error
    groups.push(requests)
    return requests.map(n =>
      n < 0 ? { status: 'rejected', reason: new RangeError(`${n} refused`) } : { status: 'fulfilled', value: 2 * n },
    )
  }, maxGroup)
  return { commits, groups }
}

const nextTurn = () => new Promise(resolve => setImmediate(resolve))

t.test('the requests of one turn are committed together, in order, on the next turn', async t => {
  const { commits, groups } = doubling()
  const results = [1, 2, 3].map(n => commits.submit(n))
  t.same(groups, [], 'nothing committed during the turn')
  t.same(await Promise.all(results), [2, 4, 6], 'each gets its own result')
  t.same(groups, [[1, 2, 3]], 'in one commit')

  t.equal(await commits.submit(4), 8)
  t.same(groups, [[1, 2, 3], [4]], 'a later turn gets a commit of its own')
})

t.test('a refused request fails alone', async t => {
  const { commits, groups } = doubling()
  const outcomes = await Promise.allSettled([1, -1, 3].map(n => commits.submit(n)))
  t.match(outcomes, [
    { status: 'fulfilled', value: 2 },
    { status: 'rejected', reason: { name: 'RangeError', message: '-1 refused' } },
    { status: 'fulfilled', value: 6 },
  ])
  t.same(groups, [[1, -1, 3]])
})

t.test('when the commit fails, every request of its group fails with its error, and the next group goes on', async t => {
  const busy = new Error('SQLITE_BUSY')
  const { commits, groups } = doubling(10, requests => (requests.includes(0) ? busy : undefined))
  const outcomes = await Promise.allSettled([1, 0, 3].map(n => commits.submit(n)))
  t.same(outcomes.map(outcome => outcome.status === 'rejected' && outcome.reason), [busy, busy, busy])
  t.equal(await commits.submit(5), 10)
  t.same(groups, [[5]])
})

t.test('a group holds maxGroup requests at most; the rest go to the following turns, in order', async t => {
  const { commits, groups } = doubling(2)
  const results = [1, 2, 3, 4, 5].map(n => commits.submit(n))
  await nextTurn()
  t.same(groups, [[1, 2]], 'one group per turn')
  const late = commits.submit(6)
  t.same(await Promise.all([...results, late]), [2, 4, 6, 8, 10, 12])
  t.same(groups, [[1, 2], [3, 4], [5, 6]], 'a request made later queues behind the earlier ones')
})

t.test('flush commits every queued request at once, and leaves no empty commit behind', async t => {
  const { commits, groups } = doubling(2)
  const results = [1, 2, 3].map(n => commits.submit(n))
  commits.flush()
  t.same(groups, [[1, 2], [3]], 'committed synchronously, group by group')
  t.same(await Promise.all(results), [2, 4, 6])
  await nextTurn()
  t.same(groups, [[1, 2], [3]], 'the turn scheduled before commits nothing')
})
