/**
 * A passport's life seeded straight into the log of a test app, with real users and signed QR codes:
 * a brand makes a shirt, Alice claims it and tells two stories (one published, one waiting), lists it,
 * Bob buys it, the code is regenerated, and Alice then hides herself.
 */
import type { AppContext } from '../../app/context.ts'
import { streams } from '../../domain/ids.ts'
import type { ProductEvent } from '../../domain/product/events.ts'
import type { UserEvent } from '../../domain/user/events.ts'
import { buildTestApp, registerUser, type TestApp, type TestAppOptions, type TestUser } from '../../test/testing/harness.ts'
import { qrCodesFor } from '../../qr/codes.ts'

type Entry = { event: ProductEvent; actorId: string; at: string }

/** Appends events as the command side would (personal data sealed by ctx.eventLog); the last one's position. */
export async function appendProductEvents(ctx: AppContext, productId: string, entries: readonly Entry[]): Promise<number> {
  let position = 0
  for (const { event, actorId, at } of entries) {
    const metadata = { eventId: ctx.newId(), occurredAt: at, actorId, correlationId: 'test', causationId: 'test', schemaVersion: 1 }
    position = (await ctx.eventLog.append(streams.product(productId), [{ type: event.type, data: { ...event.data }, metadata }])).position
  }
  return position
}

/** Appends one event to a user's stream, by `actorId`; its position. */
export async function appendUserEvent(ctx: AppContext, userId: string, event: UserEvent, actorId = userId): Promise<number> {
  const metadata = { eventId: ctx.newId(), occurredAt: new Date().toISOString(), actorId, correlationId: 'test', causationId: 'test', schemaVersion: 1 }
  return (await ctx.eventLog.append(streams.user(userId), [{ type: event.type, data: { ...event.data }, metadata }])).position
}

export const EVIL = '<script>alert("owned")</script>'
export const eur = (amount: number) => ({ amount, currency: 'EUR' })

export interface Scenario extends TestApp {
  brand: TestUser
  alice: TestUser
  bob: TestUser
  productId: string
  gtin: string
  serialNumber: string
  /** Revoked when the code was regenerated. */
  firstCode: string
  currentCode: string
  stories: { published: string; pending: string }
  listingId: string
  transactionId: string
  /** Of the last event seeded. */
  position: number
}

export async function scenario(options: TestAppOptions = {}): Promise<Scenario> {
  const test = await buildTestApp(options)
  const { app, ctx } = test
  const [brand, alice, bob] = [
    await registerUser(app, { accountType: 'brand', displayName: 'Maison Verte' }),
    await registerUser(app, { displayName: 'Alice' }),
    await registerUser(app, { displayName: 'Bob' }),
  ]
  const productId = ctx.newId()
  const [gtin, serialNumber] = ['4006381333931', 'SN-1/7']
  const codes = qrCodesFor(ctx.config)
  const first = codes.issue({ productId, gtin, serialNumber, nonce: 'first' })
  const current = codes.issue({ productId, gtin, serialNumber, nonce: 'second' })
  const id = (suffix: string) => `${productId}_${suffix}`
  const [published, pending, listingId, transactionId] = [id('s1'), id('s2'), id('l1'), id('t1')]
  const story = (storyId: string, status: 'published' | 'pending', title: string, occurredAt: string, mediaIds: string[]) => ({
    type: 'StorySubmitted' as const,
    data: { productId, storyId, authorId: alice.userId, title, body: `${EVIL} kept me dry`, occurredAt, mediaIds, status, submittedAt: occurredAt },
  })
  const price = eur(12_000)

  const position = await appendProductEvents(ctx, productId, [
    {
      actorId: brand.userId,
      at: '2024-01-01T00:00:00.000Z',
      event: {
        type: 'ProductCreated',
        data: {
          productId, brandId: brand.userId, brandName: 'Maison Verte', name: 'Camp shirt', description: 'Washed linen',
          gtin, serialNumber, materials: [{ fibre: 'linen', percent: 100 }], madeIn: 'PT', originalPrice: eur(20_000),
          createdAt: '2024-01-01T00:00:00.000Z',
        },
      },
    },
    { actorId: brand.userId, at: '2024-01-01T00:00:00.000Z', event: { type: 'QrCodeIssued', data: { productId, ...first, issuedAt: '2024-01-01T00:00:00.000Z' } } },
    {
      actorId: brand.userId,
      at: '2024-01-20T00:00:00.000Z',
      event: { type: 'ClaimCodeIssued', data: { productId, claimCodeHash: 'claim-hash-secret', issuedBy: brand.userId, expiresAt: '2024-01-27T00:00:00.000Z' } },
    },
    {
      actorId: alice.userId,
      at: '2024-02-01T00:00:00.000Z',
      event: { type: 'OwnershipTransferred', data: { productId, fromUserId: brand.userId, toUserId: alice.userId, via: 'claim', at: '2024-02-01T00:00:00.000Z' } },
    },
    { actorId: alice.userId, at: '2024-03-01T00:00:00.000Z', event: story(published, 'published', `Rain ${EVIL}`, '2024-02-20T00:00:00.000Z', ['photo-1']) },
    { actorId: alice.userId, at: '2024-03-02T00:00:00.000Z', event: story(pending, 'pending', 'Call me', '2024-02-10T00:00:00.000Z', []) },
    {
      actorId: alice.userId,
      at: '2024-04-01T00:00:00.000Z',
      event: { type: 'ProductListed', data: { productId, listingId, sellerId: alice.userId, price, condition: 'good', suggestedPrice: null, listedAt: '2024-04-01T00:00:00.000Z' } },
    },
    {
      actorId: bob.userId,
      at: '2024-05-01T00:00:00.000Z',
      event: {
        type: 'ListingReserved',
        data: { productId, listingId, transactionId, buyerId: bob.userId, sellerId: alice.userId, price, reservedAt: '2024-05-01T00:00:00.000Z', expiresAt: '2024-05-01T00:15:00.000Z' },
      },
    },
    {
      actorId: bob.userId,
      at: '2024-05-01T00:05:00.000Z',
      event: {
        type: 'ProductSold',
        data: { productId, listingId, transactionId, sellerId: alice.userId, buyerId: bob.userId, price, paymentReference: 'payment-secret', soldAt: '2024-05-01T00:05:00.000Z' },
      },
    },
    {
      actorId: bob.userId,
      at: '2024-05-01T00:05:00.000Z',
      event: { type: 'OwnershipTransferred', data: { productId, fromUserId: alice.userId, toUserId: bob.userId, via: 'resale', at: '2024-05-01T00:05:00.000Z' } },
    },
    { actorId: bob.userId, at: '2024-05-10T00:00:00.000Z', event: { type: 'QrCodeRevoked', data: { productId, qrCode: first.qrCode, revokedAt: '2024-05-10T00:00:00.000Z' } } },
    { actorId: bob.userId, at: '2024-05-10T00:00:00.000Z', event: { type: 'QrCodeIssued', data: { productId, ...current, issuedAt: '2024-05-10T00:00:00.000Z' } } },
    { actorId: alice.userId, at: '2024-06-01T00:00:00.000Z', event: { type: 'ConsentChanged', data: { productId, ownerId: alice.userId, visibility: 'hidden' } } },
  ])
  await ctx.waitForPosition(position, 5000)
  return {
    ...test,
    brand,
    alice,
    bob,
    productId,
    gtin,
    serialNumber,
    firstCode: first.qrCode,
    currentCode: current.qrCode,
    stories: { published, pending },
    listingId,
    transactionId,
    position,
  }
}
