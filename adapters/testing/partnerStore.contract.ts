import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import type { AccessLog, ApiKeyStore, PassportAccess, StoredApiKey } from '../ports.ts'

type PartnerStore = ApiKeyStore & AccessLog

/** What every store of API keys and passport reads must do. Each `open` opens the same stored data: it must survive a reopen. */
export const partnerStoreContract = (t: Test, open: () => Promise<PartnerStore>): void => {
  const unique = (prefix: string) => `${prefix}-${randomUUID()}`
  const newKey = (ownerId: string, createdAt = '2026-01-01T00:00:00.000Z'): StoredApiKey => ({
    keyId: unique('key'),
    ownerId,
    name: 'workshop',
    scopes: ['lifecycle:write', 'passport:read'],
    hash: unique('hash'),
    createdAt,
    lastUsedAt: null,
  })
  let store: PartnerStore
  t.before(async () => {
    store = await open()
  })
  t.teardown(() => store.close())

  t.test('a key is found by its hash and its id, and listed with its owner’s', async t => {
    const owner = unique('owner')
    const [first, second] = [newKey(owner), newKey(owner, '2026-01-02T00:00:00.000Z')]
    await store.addKey(second)
    await store.addKey(first)
    await store.addKey(newKey(unique('someone-else')))
    t.same(await store.keyByHash(first.hash), first)
    t.same(await store.keyById(second.keyId), second)
    t.same(await store.keysOf(owner), [first, second], 'oldest first, no one else’s')
    t.equal(await store.keyByHash(unique('hash')), null)
  })

  t.test('a revoked key is found no more, at once', async t => {
    const owner = unique('owner')
    const key = newKey(owner)
    await store.addKey(key)
    t.equal(await store.revokeKey(key.keyId, '2026-01-03T00:00:00.000Z'), true)
    t.equal(await store.keyByHash(key.hash), null)
    t.equal(await store.keyById(key.keyId), null)
    t.same(await store.keysOf(owner), [])
    t.equal(await store.revokeKey(key.keyId, '2026-01-04T00:00:00.000Z'), false, 'revoked once')
    t.equal(await store.revokeKey(unique('key'), '2026-01-04T00:00:00.000Z'), false, 'an unknown key')
  })

  t.test('a use is noted; an older one does not overwrite a newer', async t => {
    const key = newKey(unique('owner'))
    await store.addKey(key)
    await store.noteKeyUse(key.keyId, '2026-02-02T00:00:00.000Z')
    await store.noteKeyUse(key.keyId, '2026-02-01T00:00:00.000Z')
    t.equal((await store.keyByHash(key.hash))?.lastUsedAt, '2026-02-02T00:00:00.000Z')
  })

  t.test('reads of a product come back newest first, in pages', async t => {
    const productId = unique('product')
    const reads: PassportAccess[] = [1, 2, 3].map(n => ({
      productId,
      at: `2026-03-0${n}T00:00:00.000Z`,
      viewerId: `viewer-${n}`,
      role: 'repairer',
      view: 'professional',
      via: n === 2 ? 'key' : 'token',
    }))
    for (const read of reads) await store.recordAccess(read)
    await store.recordAccess({ ...reads[0]!, productId: unique('product') })
    const first = await store.accessesOf(productId, { limit: 2 })
    t.same(first.items, [reads[2], reads[1]])
    t.type(first.nextCursor, 'string')
    const second = await store.accessesOf(productId, { limit: 2, cursor: first.nextCursor! })
    t.same(second, { items: [reads[0]], nextCursor: null })
    t.same(await store.accessesOf(unique('product'), { limit: 5 }), { items: [], nextCursor: null })
  })

  t.test('keys and reads survive a reopen', async t => {
    const key = newKey(unique('owner'))
    const productId = unique('product')
    await store.addKey(key)
    await store.recordAccess({ productId, at: '2026-04-01T00:00:00.000Z', viewerId: 'v', role: 'authority', view: 'authority', via: 'token' })
    const again = await open()
    t.teardown(() => again.close())
    t.same(await again.keyByHash(key.hash), key)
    t.equal((await again.accessesOf(productId, { limit: 5 })).items.length, 1)
  })
}
