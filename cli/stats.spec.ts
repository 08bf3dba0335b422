import t from 'tap'
import { readModelCheckpoints } from '../app/projections.ts'
import { PUBLISHER } from '../projectors/publisher.ts'
import { audit, serve } from './testing/fixture.ts'
import { people, writePassport } from './testing/passport.ts'

t.test('events per kind and type, the log size, and each projection’s lag', async t => {
  const served = await serve(t)
  await writePassport(served.ctx)
  const head = await served.ctx.eventLog.headPosition()
  await served.ctx.waitForPosition(head, 10_000)
  await served.stop()

  const caughtUp = await audit(served.dataDir, 'stats')
  t.equal(caughtUp.code, 0, caughtUp.stderr)
  t.match(caughtUp.stdout, new RegExp(`^log: ${head} events in 8 streams, head at position ${head}, [\\d.]+ KiB of data and metadata\\n`))
  t.match(caughtUp.stdout, /events per stream kind:\n {2}product +12\n {2}email +3\n {2}user +3\n/)
  t.match(caughtUp.stdout, /\n {2}OwnershipTransferred +3\n/)
  t.match(caughtUp.stdout, /\n {2}EmailClaimed +3\n/)
  for (const name of [...readModelCheckpoints, PUBLISHER]) t.match(caughtUp.stdout, new RegExp(`\\n {2}${name} +${head} +up to date\\n`), name)

  // Appended while no projector runs, the erasure and the release of the email: every projection is two events behind.
  t.equal((await audit(served.dataDir, 'erase-user', people.bob.userId)).code, 0)
  const behind = await audit(served.dataDir, 'stats')
  for (const name of [...readModelCheckpoints, PUBLISHER]) t.match(behind.stdout, new RegExp(`\\n {2}${name} +${head} +2 behind\\n`), name)
})
