import t from 'tap'
import { buildApp } from '../app/buildApp.ts'
import { createLogger } from '../app/logger.ts'
import { audit, serve } from './testing/fixture.ts'
import { dump } from '../projectors/testing/store.ts'
import { alicesPersonalData, aliceStory, people, shirt, writePassport } from './testing/passport.ts'

const caughtUp = async (served: Awaited<ReturnType<typeof serve>>) =>
  served.ctx.waitForPosition(await served.ctx.eventLog.headPosition(), 30_000)

/** Which of Alice's personal data `text` still shows. */
const shown = (text: string) => alicesPersonalData.filter(value => text.includes(value))

t.test('after erase-user, export, /history, the read models and a rebuild show none of her personal data, and verify passes', async t => {
  const served = await serve(t)
  await writePassport(served.ctx)
  t.ok(await caughtUp(served))
  t.same(shown(JSON.stringify(await dump(served.ctx.readModels))), alicesPersonalData, 'before: the read models hold all of it')

  const erased = await audit(served.dataDir, 'erase-user', people.alice.userId)
  t.equal(erased.code, 0, erased.stderr)
  t.match(erased.stdout, new RegExp(`^erased user ${people.alice.userId}: UserErased at position (\\d+); their key and 1 photo are deleted\\.\\n`))

  // The API process cached her key for up to a minute; a restart (or that minute) lets go of it.
  await served.restart()
  t.ok(await caughtUp(served), 'the projectors applied UserErased')

  const app = await buildApp(served.ctx, { log: createLogger('silent') })
  t.teardown(() => app.close())
  const history = await app.inject({ method: 'GET', url: `/api/products/${shirt.productId}/history` })
  t.equal(history.statusCode, 200)
  t.same(shown(history.body), [], '/history')
  t.match(history.json().events, [{ type: 'ProductCreated' }], '/history still tells the product’s history')

  const exported = await audit(served.dataDir, 'export', shirt.productId)
  t.same(shown(exported.stdout), [], 'export')
  const story = JSON.parse(exported.stdout).events.find((event: { type: string }) => event.type === 'StorySubmitted')
  t.match(story.data, { storyId: aliceStory.storyId, authorId: people.alice.userId, title: null, body: null, mediaIds: null }, 'her story is there, its text is not')
  t.same(shown((await audit(served.dataDir, 'export', shirt.productId, '--format', 'epcis')).stdout), [], 'export --format epcis')

  t.same(shown(JSON.stringify(await dump(served.ctx.readModels))), [], 'the live read models, photo ids included')

  const rebuilt = await audit(served.dataDir, 'rebuild')
  t.equal(rebuilt.code, 0, rebuilt.stderr)
  t.same(shown(JSON.stringify(await dump(served.ctx.readModels))), [], 'the rebuilt read models')

  const verified = await audit(served.dataDir, 'verify')
  t.equal(verified.code, 0, verified.stderr)
  t.match(verified.stdout, /^ok: /, 'verify: the chain covers the ciphertext, which erasure left as it was')
})

t.test('erasing again appends nothing; an unknown user is a problem', async t => {
  const served = await serve(t)
  await writePassport(served.ctx)
  await served.stop()
  const first = await audit(served.dataDir, 'erase-user', people.bob.userId, '--actor', 'admin-7')
  t.equal(first.code, 0, first.stderr)
  const again = await audit(served.dataDir, 'erase-user', people.bob.userId)
  t.equal(again.code, 0, again.stderr)
  t.match(again.stdout, `user ${people.bob.userId} was already erased; their key and 0 photos are deleted.`)
  t.match((await audit(served.dataDir, 'stats')).stdout, /\n {2}UserErased +1\n/, 'one UserErased in the log')

  const unknown = await audit(served.dataDir, 'erase-user', 'nobody')
  t.equal(unknown.code, 1)
  t.match(unknown.stderr, 'cannot erase user nobody: user not found')
})
