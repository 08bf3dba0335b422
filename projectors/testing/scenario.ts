/**
 * One passport's life, used by the projection and runner tests: a brand creates two products, a consumer
 * claims one, tells stories, lists it; a reservation expires, another ends in a sale; codes are regenerated;
 * a story is deleted; the first owner is erased and gets the product back.
 */
import { childId, streams } from '../../domain/ids.ts'
import { History } from './history.ts'

export const ids = {
  brand: 'brand-1',
  alice: 'alice',
  bob: 'bob',
  moderator: 'moderator-1',
  collection: 'c1',
  design: 'd1',
  p1: 'p1',
  p2: 'p2',
  s1: childId('p1', 's1'),
  s2: childId('p1', 's2'),
  s3: childId('p1', 's3'),
  l1: childId('p1', 'l1'),
  l2: childId('p2', 'l2'),
  t1: childId('p1', 't1'),
  t2: childId('p1', 't2'),
} as const

const eur = (amount: number) => ({ amount, currency: 'EUR' })

export function scenario() {
  const h = new History()
  const { brand, alice, bob, moderator, p1, p2, s1, s2, s3, l1, l2, t1, t2 } = ids
  const product = streams.product(p1)
  const register = (userId: string, displayName: string, accountType: 'brand' | 'consumer') =>
    h.add(streams.user(userId), 'UserRegistered', now => ({
      userId,
      email: `${userId}@example.com`,
      emailHash: `hash-${userId}`,
      displayName,
      passwordHash: 'scrypt$x',
      accountType,
      ...(accountType === 'brand' ? { brandName: displayName } : {}),
      roles: [accountType],
      registeredAt: now,
    }))

  const e = {
    brandRegistered: register(brand, 'Maison Verte', 'brand'),
    aliceRegistered: register(alice, 'Alice', 'consumer'),
    bobRegistered: register(bob, 'Bob', 'consumer'),
    collectionCreated: h.add(streams.collection(ids.collection), 'CollectionCreated', now => ({
      collectionId: ids.collection,
      brandId: brand,
      brandName: 'Maison Verte',
      name: 'Summer linen',
      season: 'SS25',
      createdAt: now,
    })),
    designAdded: h.add(streams.collection(ids.collection), 'DesignAdded', now => ({
      collectionId: ids.collection,
      designId: ids.design,
      name: 'Camp shirt',
      materials: [{ fibre: 'linen', percent: 100 }],
      addedAt: now,
    })),
    p1Created: h.add(product, 'ProductCreated', now => ({
      productId: p1,
      brandId: brand,
      brandName: 'Maison Verte',
      name: 'Camp shirt',
      description: 'Washed linen',
      collectionId: ids.collection,
      designId: ids.design,
      gtin: '4006381333931',
      serialNumber: 'SN-001',
      materials: [{ fibre: 'linen', percent: 100 }],
      madeIn: 'PT',
      originalPrice: eur(12900),
      createdAt: now,
    })),
    p1QrIssued: h.add(product, 'QrCodeIssued', now => ({ productId: p1, qrCode: 'qr-p1-a', qrUrl: 'https://ptvem.example/01/04006381333931/21/SN-001', issuedAt: now })),
    p2Created: h.add(streams.product(p2), 'ProductCreated', now => ({
      productId: p2,
      brandId: brand,
      brandName: 'Maison Verte',
      name: 'Wide trousers',
      serialNumber: 'SN-002',
      createdAt: now,
    })),
    p2QrIssued: h.add(streams.product(p2), 'QrCodeIssued', now => ({ productId: p2, qrCode: 'qr-p2-a', qrUrl: 'https://ptvem.example/p/qr-p2-a', issuedAt: now })),
    claimCodeIssued: h.add(product, 'ClaimCodeIssued', () => ({ productId: p1, claimCodeHash: 'claim-hash', issuedBy: brand, expiresAt: '2025-03-08T09:00:00.000Z' })),
    claimedByAlice: h.add(product, 'OwnershipTransferred', now => ({ productId: p1, fromUserId: brand, toUserId: alice, via: 'claim', at: now })),
    s1Submitted: h.add(product, 'StorySubmitted', now => ({
      productId: p1,
      storyId: s1,
      authorId: alice,
      title: 'First summer',
      body: 'Worn at the seaside',
      occurredAt: '2025-02-14T12:00:00.000Z',
      mediaIds: ['m1', 'm2'],
      status: 'pending',
      submittedAt: now,
    })),
    s1Approved: h.add(product, 'StoryModerated', now => ({ productId: p1, storyId: s1, moderatorId: moderator, decision: 'approve', status: 'published', moderatedAt: now })),
    s2Submitted: h.add(product, 'StorySubmitted', now => ({
      productId: p1,
      storyId: s2,
      authorId: alice,
      title: 'Mended',
      body: 'A new button',
      occurredAt: '2025-01-10T12:00:00.000Z',
      mediaIds: ['m3'],
      status: 'published',
      submittedAt: now,
    })),
    s1Edited: h.add(product, 'StoryEdited', now => ({
      productId: p1,
      storyId: s1,
      authorId: alice,
      title: 'First summer, again',
      body: 'Worn at the seaside, twice',
      occurredAt: '2025-02-14T12:00:00.000Z',
      mediaIds: ['m2', 'm4'],
      status: 'pending',
      editedAt: now,
    })),
    s1Rejected: h.add(product, 'StoryModerated', now => ({
      productId: p1,
      storyId: s1,
      moderatorId: moderator,
      decision: 'reject',
      reason: 'off topic',
      status: 'rejected',
      moderatedAt: now,
    })),
    aliceConsent: h.add(product, 'ConsentChanged', () => ({ productId: p1, ownerId: alice, visibility: 'anonymous' })),
    l1Listed: h.add(product, 'ProductListed', now => ({
      productId: p1,
      listingId: l1,
      sellerId: alice,
      price: eur(12000),
      condition: 'good',
      suggestedPrice: eur(10000),
      listedAt: now,
    })),
    l2Listed: h.add(streams.product(p2), 'ProductListed', now => ({
      productId: p2,
      listingId: l2,
      sellerId: brand,
      price: eur(9000),
      condition: 'new',
      description: 'Sample',
      suggestedPrice: null,
      listedAt: now,
    })),
    l1Updated: h.add(product, 'ListingUpdated', now => ({ productId: p1, listingId: l1, price: eur(11000), condition: 'like_new', description: 'Worn twice', updatedAt: now })),
    t1Reserved: h.add(product, 'ListingReserved', now => ({
      productId: p1,
      listingId: l1,
      transactionId: t1,
      buyerId: bob,
      sellerId: alice,
      price: eur(11000),
      reservedAt: now,
      expiresAt: '2025-03-01T10:00:00.000Z',
    })),
    t1Expired: h.add(product, 'ReservationCancelled', now => ({ productId: p1, listingId: l1, transactionId: t1, reason: 'expired', at: now })),
    t2Reserved: h.add(product, 'ListingReserved', now => ({
      productId: p1,
      listingId: l1,
      transactionId: t2,
      buyerId: bob,
      sellerId: alice,
      price: eur(11000),
      reservedAt: now,
      expiresAt: '2025-03-01T10:30:00.000Z',
    })),
    t2Sold: h.add(product, 'ProductSold', now => ({
      productId: p1,
      listingId: l1,
      transactionId: t2,
      sellerId: alice,
      buyerId: bob,
      price: eur(11000),
      paymentReference: 'pay-1',
      soldAt: now,
    })),
    soldToBob: h.add(product, 'OwnershipTransferred', now => ({ productId: p1, fromUserId: alice, toUserId: bob, via: 'resale', at: now })),
    p1QrRevoked: h.add(product, 'QrCodeRevoked', now => ({ productId: p1, qrCode: 'qr-p1-a', revokedAt: now })),
    p1QrReissued: h.add(product, 'QrCodeIssued', now => ({ productId: p1, qrCode: 'qr-p1-b', qrUrl: 'https://ptvem.example/01/04006381333931/21/SN-001?v=2', issuedAt: now })),
    l2Withdrawn: h.add(streams.product(p2), 'ListingWithdrawn', now => ({ productId: p2, listingId: l2, withdrawnAt: now })),
    s3Submitted: h.add(product, 'StorySubmitted', now => ({
      productId: p1,
      storyId: s3,
      authorId: bob,
      title: 'Second hand',
      body: 'Fits well',
      occurredAt: '2025-03-01T00:00:00.000Z',
      mediaIds: [],
      status: 'published',
      submittedAt: now,
    })),
    s2Deleted: h.add(product, 'StoryDeleted', now => ({ productId: p1, storyId: s2, deletedBy: alice, deletedAt: now })),
    bobRolesChanged: h.add(streams.user(bob), 'UserRolesChanged', now => ({ userId: bob, roles: ['consumer', 'moderator'], changedBy: 'admin', changedAt: now })),
    aliceErased: h.add(streams.user(alice), 'UserErased', now => ({ userId: alice, erasedBy: 'admin', erasedAt: now })),
    backToAlice: h.add(product, 'OwnershipTransferred', now => ({ productId: p1, fromUserId: bob, toUserId: alice, via: 'transfer', at: now })),
  }
  return { events: h.events, e }
}

/** The events up to and including `last`. */
export const until = <E extends { position: number }>(events: readonly E[], last: { position: number }): E[] =>
  events.filter(event => event.position <= last.position)
