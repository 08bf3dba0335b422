/** Test data for the product specs: a few people, times, and event builders. */
import type { Money } from '../../money.ts'
import type { ProductCommand } from '../commands.ts'
import type {
  ClaimCodeIssued,
  Condition,
  ListingReserved,
  OwnershipTransferred,
  ProductCreated,
  ProductEvent,
  ProductListed,
  QrCodeIssued,
  StoryStatus,
  StorySubmitted,
} from '../events.ts'

export const PRODUCT = 'prod-1'
export const BRAND = 'brand-1'
export const ALICE = 'alice'
export const BOB = 'bob'
export const CAROL = 'carol'
export const MODERATOR = 'mod-1'

export const CREATED_AT = '2024-01-01T00:00:00.000Z'
export const ALICE_FROM = '2024-02-01T00:00:00.000Z'
export const NOW = '2024-06-01T12:00:00.000Z'
export const SOON = '2024-06-01T12:15:00.000Z'
export const LATER = '2024-06-08T12:00:00.000Z'

export const LISTING = `${PRODUCT}_l1`
export const TRANSACTION = `${PRODUCT}_t1`
export const STORY = `${PRODUCT}_s1`

export const eur = (amount: number): Money => ({ amount, currency: 'EUR' })

type CommandOf<Type extends ProductCommand['type']> = Extract<ProductCommand, { type: Type }>

export const command = <Type extends ProductCommand['type']>(
  type: Type,
  data: Omit<CommandOf<Type>['data'], 'productId'>,
  actorId: string,
  { roles = ['consumer'], now = NOW }: { roles?: string[]; now?: string } = {},
): CommandOf<Type> =>
  ({ type, data: { productId: PRODUCT, ...data }, metadata: { actorId, roles, now } }) as unknown as CommandOf<Type>

export const created = (data: Partial<ProductCreated['data']> = {}): ProductCreated => ({
  type: 'ProductCreated',
  data: {
    productId: PRODUCT,
    brandId: BRAND,
    brandName: 'Atelier',
    name: 'Wool coat',
    serialNumber: 'SN-1',
    originalPrice: eur(20_000),
    createdAt: CREATED_AT,
    ...data,
  },
})

export const qrIssued = (qrCode = 'qr-1', issuedAt = CREATED_AT): QrCodeIssued => ({
  type: 'QrCodeIssued',
  data: { productId: PRODUCT, qrCode, qrUrl: `https://ptvem.test/p/${qrCode}`, issuedAt },
})

export const transferred = (
  fromUserId: string,
  toUserId: string,
  at: string,
  via: OwnershipTransferred['data']['via'] = 'transfer',
): OwnershipTransferred => ({ type: 'OwnershipTransferred', data: { productId: PRODUCT, fromUserId, toUserId, via, at } })

export const claimCodeIssued = (claimCodeHash: string, issuedBy = ALICE, expiresAt = LATER): ClaimCodeIssued => ({
  type: 'ClaimCodeIssued',
  data: { productId: PRODUCT, claimCodeHash, issuedBy, expiresAt },
})

export const storySubmitted = (
  authorId = ALICE,
  occurredAt = '2024-03-01T00:00:00.000Z',
  status: StoryStatus = 'published',
  storyId = STORY,
): StorySubmitted => ({
  type: 'StorySubmitted',
  data: {
    productId: PRODUCT,
    storyId,
    authorId,
    title: 'Rainy Lisbon',
    body: 'Kept me dry all week.',
    occurredAt,
    mediaIds: ['m1'],
    status,
    submittedAt: occurredAt,
  },
})

export const listed = (sellerId = ALICE, price = eur(12_000), condition: Condition = 'good'): ProductListed => ({
  type: 'ProductListed',
  data: {
    productId: PRODUCT,
    listingId: LISTING,
    sellerId,
    price,
    condition,
    suggestedPrice: eur(11_000),
    listedAt: '2024-05-01T00:00:00.000Z',
  },
})

export const reserved = (buyerId = BOB, expiresAt = SOON, transactionId = TRANSACTION): ListingReserved => ({
  type: 'ListingReserved',
  data: {
    productId: PRODUCT,
    listingId: LISTING,
    transactionId,
    buyerId,
    sellerId: ALICE,
    price: eur(12_000),
    reservedAt: '2024-06-01T11:55:00.000Z',
    expiresAt,
  },
})

/** The brand created the product; Alice has owned it since February. */
export const passport: ProductEvent[] = [created(), qrIssued()]
export const ownedByAlice: ProductEvent[] = [...passport, transferred(BRAND, ALICE, ALICE_FROM)]
export const listedByAlice: ProductEvent[] = [...ownedByAlice, listed()]
export const reservedByBob: ProductEvent[] = [...listedByAlice, reserved()]
