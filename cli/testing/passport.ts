/**
 * One garment's passport, written as the API would (accounts through registration, so email streams exist;
 * product commands through the command handler): a brand makes a shirt with a GTIN and a plain one without;
 * gives the shirt to Alice, who tells a story with a photo and resells it to Bob, who hands it back to Alice
 * with a claim code. A minute between steps.
 */
import type { AppContext } from '../../app/context.ts'
import { registerAccount } from '../../command-api/auth/registration.ts'
import { handleCommand } from '../../command-api/handleCommand.ts'
import { childId, streams } from '../../domain/ids.ts'
import { productDecider, type ProductCommand } from '../../domain/product/index.ts'
import type { Role } from '../../domain/user/events.ts'

export const START = Date.parse('2025-03-01T09:00:00.000Z')

export const people = {
  brand: { userId: 'brand-1', email: 'atelier@example.test', displayName: 'Atelier Verte', brandName: 'Atelier Verte' },
  alice: { userId: 'alice-1', email: 'alice.liddell@example.test', displayName: 'Alice Liddell' },
  bob: { userId: 'bob-1', email: 'bob.builder@example.test', displayName: 'Bob Builder' },
} as const

export const shirt = { productId: 'shirt-1', gtin: '4006381333931', serialNumber: 'SN 001/A' }
export const plain = { productId: 'plain-1', serialNumber: 'SN-002' }
export const aliceStory = { storyId: childId(shirt.productId, 'story-1'), title: 'Seaside summer', body: 'Worn on the pier at Brighton', mediaIds: ['photo-alice-1'] }
const listingId = childId(shirt.productId, 'listing-1')
const transactionId = childId(shirt.productId, 'transaction-1')

/** When each step happened. */
export interface Written {
  created: string
  givenToAlice: string
  sold: string
  claimedBack: string
}

export async function writePassport(ctx: AppContext): Promise<Written> {
  let minute = 0
  const now = () => new Date(START + ++minute * 60_000).toISOString()
  let ids = 0
  const newEventId = () => `passport-event-${++ids}`

  for (const [accountType, person, roles] of [
    ['brand', people.brand, ['brand']],
    ['consumer', people.alice, ['consumer']],
    ['consumer', people.bob, ['consumer']],
  ] as const) {
    const metadata = { actorId: person.userId, roles: [...roles] as Role[], now: now(), correlationId: person.userId, causationId: person.userId }
    await registerAccount(ctx, person.userId, { ...person, password: 'a long password', accountType, roles: [...roles] }, metadata)
  }

  const run = async (actor: { userId: string }, roles: Role[], command: Omit<ProductCommand, 'metadata'>): Promise<string> => {
    const metadata = { actorId: actor.userId, roles, now: now() }
    const stamped = { ...command, metadata } as ProductCommand
    await handleCommand({ log: ctx.eventLog, streamId: streams.product(command.data.productId), decider: productDecider, command: stamped, metadata: { correlationId: 'passport', causationId: 'passport' }, newEventId })
    return metadata.now
  }
  // Verified, with the prefix of the shirt's GTIN.
  const brand = { verified: true, gs1CompanyPrefixes: ['4006381'] }
  const created = await run(people.brand, ['brand'], {
    type: 'CreateProduct',
    data: { ...shirt, brandId: people.brand.userId, brandName: people.brand.brandName, name: 'Camp shirt', qrCode: 'qr-shirt', qrUrl: 'https://ptvem.test/p/qr-shirt', brand },
  })
  await run(people.brand, ['brand'], {
    type: 'CreateProduct',
    data: { ...plain, brandId: people.brand.userId, brandName: people.brand.brandName, name: 'Plain tee', qrCode: 'qr-plain', qrUrl: 'https://ptvem.test/p/qr-plain', brand },
  })
  const givenToAlice = await run(people.brand, ['brand'], { type: 'TransferOwnership', data: { productId: shirt.productId, toUserId: people.alice.userId } })
  await run(people.alice, ['consumer'], { type: 'SubmitStory', data: { productId: shirt.productId, ...aliceStory, occurredAt: givenToAlice } })
  const price = { amount: 4500, currency: 'EUR' }
  await run(people.alice, ['consumer'], { type: 'ListProduct', data: { productId: shirt.productId, listingId, price, condition: 'good', suggestedPrice: null } })
  await run(people.bob, ['consumer'], { type: 'ReserveListing', data: { productId: shirt.productId, listingId, transactionId, expiresAt: '2026-01-01T00:00:00.000Z' } })
  const sold = await run(people.bob, ['consumer'], { type: 'ConfirmPurchase', data: { productId: shirt.productId, transactionId, paymentReference: 'pay-1' } })
  const expiresAt = new Date(START + 7 * 86_400_000).toISOString()
  await run(people.bob, ['consumer'], { type: 'IssueClaimCode', data: { productId: shirt.productId, claimCodeHash: 'claim-hash', expiresAt } })
  const claimedBack = await run(people.alice, ['consumer'], { type: 'ClaimProduct', data: { productId: shirt.productId, claimCodeHash: 'claim-hash' } })
  return { created, givenToAlice, sold, claimedBack }
}

/** Alice's personal data as she gave it: none of it may show once she is erased. */
export const alicesPersonalData = [people.alice.email, people.alice.displayName, aliceStory.title, aliceStory.body, ...aliceStory.mediaIds]
