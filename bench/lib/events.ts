/**
 * Product events as the command side would append them, for seeding the log directly. The shapes follow
 * domain/product/events.ts (typed against it), the metadata what command-api/handleCommand stamps.
 */
import { randomBytes } from 'node:crypto'
import { monotonicFactory } from 'ulid'
import type { ProductEvent } from '../../domain/product/events.ts'
import { streams } from '../../domain/ids.ts'
import type { NewEvent } from '../../eventlog/port.ts'
import { createQrCodes, type QrCodes } from '../../qr/codes.ts'
import { BENCH_SECRETS, PUBLIC_BASE_URL } from './config.ts'

export const newId = monotonicFactory()

export const qrCodes = (): QrCodes => createQrCodes({ secret: BENCH_SECRETS.SIGNING_SECRET, publicBaseUrl: PUBLIC_BASE_URL })

/** Event times start here and move on a second per event a product gets, so histories read in order. */
const EPOCH = Date.parse('2025-01-01T00:00:00.000Z')
export const timeOf = (tick: number): string => new Date(EPOCH + tick * 1000).toISOString()

export function envelope(event: ProductEvent, actorId: string, occurredAt: string): NewEvent {
  const eventId = newId()
  return {
    type: event.type,
    data: event.data as unknown as Record<string, unknown>,
    metadata: { eventId, occurredAt, actorId, correlationId: eventId, causationId: eventId, schemaVersion: 1 },
  }
}

export interface Brand {
  userId: string
  brandName: string
}

const MATERIALS = [
  [{ fibre: 'cotton', percent: 100 }],
  [
    { fibre: 'wool', percent: 80 },
    { fibre: 'polyamide', percent: 20 },
  ],
  [
    { fibre: 'linen', percent: 55 },
    { fibre: 'cotton', percent: 45 },
  ],
]
const COUNTRIES = ['PT', 'IT', 'FR', 'ES', 'RO']
const GARMENTS = ['Overshirt', 'Wool coat', 'Linen dress', 'Denim jacket', 'Knit sweater', 'Chino trousers']

/** A new product's first two events (ProductCreated, QrCodeIssued), as CreateProduct decides them. */
export function newProduct(codes: QrCodes, brand: Brand, n: number, tick = 0) {
  const productId = newId()
  const serialNumber = randomBytes(8).toString('hex').toUpperCase()
  const { qrCode, qrUrl } = codes.issue({ productId, serialNumber, nonce: randomBytes(12).toString('base64url') })
  const at = timeOf(tick)
  const events = [
    envelope(
      {
        type: 'ProductCreated',
        data: {
          productId,
          brandId: brand.userId,
          brandName: brand.brandName,
          name: `${GARMENTS[n % GARMENTS.length]} #${n}`,
          description: 'Garment-dyed heavyweight twill, made to be mended and passed on.',
          serialNumber,
          materials: MATERIALS[n % MATERIALS.length],
          madeIn: COUNTRIES[n % COUNTRIES.length],
          originalPrice: { amount: 12_000 + (n % 50) * 500, currency: 'EUR' },
          createdAt: at,
        },
      },
      brand.userId,
      at,
    ),
    envelope({ type: 'QrCodeIssued', data: { productId, qrCode, qrUrl, issuedAt: at } }, brand.userId, at),
  ]
  return { productId, streamId: streams.product(productId), qrCode, events }
}

export const transferred = (productId: string, fromUserId: string, toUserId: string, tick: number, via: 'transfer' | 'claim' = 'transfer') =>
  envelope({ type: 'OwnershipTransferred', data: { productId, fromUserId, toUserId, via, at: timeOf(tick) } }, via === 'claim' ? toUserId : fromUserId, timeOf(tick))

export const consentChanged = (productId: string, ownerId: string, visibility: 'public' | 'anonymous' | 'hidden', tick: number) =>
  envelope({ type: 'ConsentChanged', data: { productId, ownerId, visibility } }, ownerId, timeOf(tick))

export const claimCodeIssued = (productId: string, ownerId: string, tick: number) =>
  envelope(
    {
      type: 'ClaimCodeIssued',
      data: { productId, claimCodeHash: randomBytes(32).toString('hex'), issuedBy: ownerId, expiresAt: timeOf(tick + 7 * 24 * 3600) },
    },
    ownerId,
    timeOf(tick),
  )

/** RegenerateQrCode: the current code revoked, a new one issued. */
export function qrRegenerated(codes: QrCodes, productId: string, oldCode: string, actorId: string, tick: number) {
  const serialNumber = 'R'
  const { qrCode, qrUrl } = codes.issue({ productId, serialNumber, nonce: randomBytes(12).toString('base64url') })
  const at = timeOf(tick)
  return {
    qrCode,
    events: [
      envelope({ type: 'QrCodeRevoked', data: { productId, qrCode: oldCode, revokedAt: at } }, actorId, at),
      envelope({ type: 'QrCodeIssued', data: { productId, qrCode, qrUrl, issuedAt: at } }, actorId, at),
    ],
  }
}
