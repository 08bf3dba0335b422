import t from 'tap'
import { HttpProblem } from './problem.ts'
import { Gate } from './gate.ts'

t.test('runs at most `concurrent` jobs, lets `waiting` more wait, and refuses the rest with a 503', async t => {
  const gate = new Gate('jobs', 2, 1)
  let running = 0
  let most = 0
  const releases: Array<() => void> = []
  const job = () =>
    gate.run(async () => {
      most = Math.max(most, ++running)
      await new Promise<void>(resolve => releases.push(resolve))
      running--
      return 'done'
    })
  const accepted = [job(), job(), job()]
  const refused = await job().catch((error: unknown) => error)
  t.ok(refused instanceof HttpProblem && refused.status === 503 && refused.headers?.['retry-after'] === '1', 'the fourth is refused')
  await new Promise(resolve => setImmediate(resolve))
  t.equal(releases.length, 2, 'two run, one waits')
  releases.shift()!()
  await new Promise(resolve => setImmediate(resolve))
  t.equal(releases.length, 2, 'the waiting one takes the free turn')
  releases.splice(0).forEach(release => release())
  t.same(await Promise.all(accepted), ['done', 'done', 'done'])
  t.equal(most, 2)
  t.equal(await gate.run(async () => 'again'), 'again', 'turns are given back')
})
