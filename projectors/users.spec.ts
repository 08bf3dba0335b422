import t from 'tap'
import { collections, type UserDoc } from '../readmodels/documents.ts'
import { ids, scenario, until } from './testing/scenario.ts'
import { History } from './testing/history.ts'
import { projected } from './testing/store.ts'

const { events, e } = scenario()

t.test('a user is registered, then changes roles', async t => {
  const store = await projected(events)
  t.strictSame(await store.get<UserDoc>(collections.users, ids.bob), {
    id: ids.bob,
    userId: ids.bob,
    email: 'bob@example.com',
    displayName: 'Bob',
    roles: ['consumer', 'moderator'],
    accountType: 'consumer',
    registeredAt: e.bobRegistered.data.registeredAt,
    erased: false,
    position: e.bobRolesChanged.position,
  })
  t.equal((await store.get<UserDoc>(collections.users, ids.brand))?.brandName, 'Maison Verte')
})

t.test('erasing a user blanks their personal data', async t => {
  const before = await (await projected(until(events, e.aliceRegistered))).get<UserDoc>(collections.users, ids.alice)
  t.equal(before?.email, 'alice@example.com')
  const store = await projected(events)
  t.strictSame(await store.get<UserDoc>(collections.users, ids.alice), {
    ...before,
    email: null,
    displayName: null,
    erased: true,
    position: e.aliceErased.position,
  })
})

t.test('a registration read back after the erasure has null personal data', async t => {
  const h = new History()
  // What the decrypting log gives once the user's key is deleted.
  const unreadable = null as unknown as string
  h.add('user-carol', 'UserRegistered', now => ({
    userId: 'carol',
    email: unreadable,
    emailHash: 'hash-carol',
    displayName: unreadable,
    passwordHash: 'x',
    accountType: 'consumer',
    roles: ['consumer'],
    registeredAt: now,
  }))
  const doc = await (await projected(h.events)).get<UserDoc>(collections.users, 'carol')
  t.equal(doc?.email, null)
  t.equal(doc?.displayName, null)
})
