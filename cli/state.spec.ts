import t from 'tap'
import { audit, serve } from './testing/fixture.ts'
import { people, shirt, writePassport } from './testing/passport.ts'

const served = await serve(t)
const written = await writePassport(served.ctx)
await served.stop()

const stateAt = async (at: string) => {
  const result = await audit(served.dataDir, 'state', shirt.productId, '--at', at)
  t.equal(result.code, 0, result.stderr)
  return JSON.parse(result.stdout)
}

t.test('the decided state as of a time', async t => {
  const given = await stateAt(written.givenToAlice)
  t.match(given, { productId: shirt.productId, at: written.givenToAlice, revision: 2, state: { exists: true, ownerId: people.alice.userId, openListingId: null } })
  t.same(given.state.owners.map(({ ownerId }: { ownerId: string }) => ownerId), [people.brand.userId, people.alice.userId])

  const sold = await stateAt(written.sold)
  t.equal(sold.state.ownerId, people.bob.userId)
  t.match(Object.values(sold.state.transactions), [{ status: 'completed', buyerId: people.bob.userId }])
  t.match(sold.state.stories, { [`${shirt.productId}_story-1`]: { content: { title: 'Seaside summer' } } }, 'personal data opened')
})

t.test('the decided state as of a log position', async t => {
  const given = await stateAt(written.givenToAlice)
  const same = await stateAt(String(given.position))
  t.same(same.state, given.state)
  t.equal(same.at, `position ${given.position}`)
  const before = await stateAt(String(given.position - 1))
  t.equal(before.state.ownerId, people.brand.userId)
})

t.test('refusals', async t => {
  const early = await audit(served.dataDir, 'state', shirt.productId, '--at', '2020-01-01')
  t.equal(early.code, 1)
  t.match(early.stderr, `product ${shirt.productId} did not exist at 2020-01-01T00:00:00.000Z`)
  const missing = await audit(served.dataDir, 'state', shirt.productId)
  t.equal(missing.code, 2)
  t.match(missing.stderr, 'missing --at <time|position>')
  const bad = await audit(served.dataDir, 'state', shirt.productId, '--at', 'noon')
  t.equal(bad.code, 2)
  t.match(bad.stderr, '--at must be an ISO-8601 time')
  const extra = await audit(served.dataDir, 'state', shirt.productId, 'another', '--at', '1')
  t.equal(extra.code, 2)
  t.match(extra.stderr, 'unexpected argument "another"')
})
