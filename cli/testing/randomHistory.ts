/**
 * A log written by a few thousand random commands through the real deciders and the one command handler:
 * users register (and some are erased), brands create collections and products, owners transfer, hand out
 * claim codes, tell stories and resell; moderators moderate. Actors are mostly the people a rule allows, so
 * most commands append; the refused ones append nothing, as at the API. Seeded, so a failure replays.
 */
import { handleCommand } from '../../command-api/handleCommand.ts'
import { eraseUser, type ErasurePorts } from '../../command-api/users/erase.ts'
import type { Decider, DomainCommand, DomainEvent } from '../../domain/decider.ts'
import { DomainError } from '../../domain/errors.ts'
import { childId, streams } from '../../domain/ids.ts'
import { collectionDecider } from '../../domain/collection/index.ts'
import { productDecider, type ProductCommand, type ProductState } from '../../domain/product/index.ts'
import { userDecider, type UserCommand } from '../../domain/user/index.ts'
import type { Role } from '../../domain/user/events.ts'
import { gtin13 } from '../../domain/gs1CompanyPrefix.ts'

export interface RandomHistoryOptions {
  commands: number
  seed: number
  /** Consumers erased along the way (their key deleted, as by `audit erase-user`). */
  erasures?: boolean
  /** Time of the first command; each next one comes 1 to 30 minutes later. */
  start?: Date
}

export interface RandomHistory {
  appended: number
  refused: number
  products: string[]
  /** Users still registered, by kind. */
  consumers: string[]
  brands: string[]
  erased: string[]
  /** Where the next run goes on, for a history written in two parts. */
  next: RandomHistoryOptions
}

/** mulberry32: small, fast, and good enough to pick test data. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

type Step = {
  streamId: string
  decider: Decider<any, DomainEvent, any>
  command: DomainCommand
  /** Once the command is decided and appended. */
  then?: (state: any) => void
} | null

const WORDS = ['linen', 'summer', 'wedding', 'mended', 'button', 'seaside', 'gift', 'rain', 'market', 'faded', 'patch', 'travel']
const CONDITIONS = ['new', 'like_new', 'good', 'fair'] as const
const VISIBILITIES = ['public', 'anonymous', 'hidden'] as const
const GTINS = ['4006381333931', '09506000134352', '96385074', '036000291452']
/** Every brand issues as a verified brand holding the prefixes of all of them. */
const VERIFIED = { verified: true, gs1CompanyPrefixes: GTINS.map(gtin => gtin13(gtin).slice(0, 7)) }

export async function writeRandomHistory(ports: ErasurePorts, options: RandomHistoryOptions): Promise<RandomHistory> {
  const chance = random(options.seed)
  const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(chance() * items.length)]
  const words = (count: number) => Array.from({ length: count }, () => pick(WORDS)!).join(' ')
  let clock = (options.start ?? new Date('2025-01-01T08:00:00.000Z')).getTime()
  let serial = 0
  const id = (prefix: string) => `${prefix}${options.seed}x${++serial}`

  const brands: string[] = []
  const consumers: string[] = []
  const erased: string[] = []
  const moderator = id('moderator')
  const admin = id('admin')
  const collections = new Map<string, { brandId: string; designIds: string[] }>()
  const products = new Map<string, ProductState>()
  const roles = new Map<string, Role[]>()

  const as = (actorId: string) => ({ actorId, roles: roles.get(actorId) ?? [], now: new Date(clock).toISOString() })
  const product = (productId: string, type: ProductCommand['type'], actorId: string, data: object): Step => ({
    streamId: streams.product(productId),
    decider: productDecider,
    command: { type, data: { productId, ...data }, metadata: as(actorId) },
    then: (state: ProductState) => products.set(productId, state),
  })
  const user = (userId: string, type: UserCommand['type'], actorId: string, data: object, then?: () => void): Step => ({
    streamId: streams.user(userId),
    decider: userDecider,
    command: { type, data: { userId, ...data }, metadata: as(actorId) },
    then,
  })
  const register = (accountType: 'brand' | 'consumer', userRoles: Role[], userId = id(accountType)): Step => {
    roles.set(userId, userRoles)
    const registration = {
      email: `${userId}@example.test`,
      emailHash: `hash-${userId}`,
      displayName: `${words(1)} ${userId}`,
      passwordHash: 'scrypt$test',
      accountType,
      ...(accountType === 'brand' && { brandName: `Atelier ${words(1)}` }),
      roles: userRoles,
    }
    return user(userId, 'RegisterUser', userId, registration, () => (accountType === 'brand' ? brands : consumers).push(userId))
  }
  const stillThere = (userId: string) => !erased.includes(userId)
  // An erased user can no longer sign in, so never acts again.
  const someProduct = () => pick([...products.values()].filter(state => stillThere(state.ownerId)))
  const someStory = (state: ProductState) => pick(Object.entries(state.stories).filter(([, story]) => !story.deleted))
  const openListing = (state: ProductState) => (state.openListingId === null ? undefined : state.listings[state.openListingId])
  const pending = (state: ProductState) => pick(Object.values(state.transactions).filter(transaction => transaction.status === 'pending'))

  const steps: [number, () => Step][] = [
    [2, () => register('consumer', ['consumer'])],
    [0.5, () => register('brand', ['brand'])],
    [0.5, () => {
      const brandId = pick(brands)
      if (!brandId) return null
      const collectionId = id('collection')
      const command = { type: 'CreateCollection', data: { collectionId, brandId, brandName: 'Atelier', name: words(2), season: 'SS25' }, metadata: as(brandId) }
      const then = () => collections.set(collectionId, { brandId, designIds: [] })
      return { streamId: streams.collection(collectionId), decider: collectionDecider, command, then }
    }],
    [0.5, () => {
      const [collectionId, collection] = pick([...collections]) ?? []
      if (!collectionId || !collection) return null
      const designId = id('design')
      const command = {
        type: 'AddDesign',
        data: { collectionId, designId, name: words(2), materials: [{ fibre: 'linen', percent: 100 }] },
        metadata: as(collection.brandId),
      }
      return { streamId: streams.collection(collectionId), decider: collectionDecider, command, then: () => collection.designIds.push(designId) }
    }],
    [4, () => {
      const brandId = pick(brands)
      if (!brandId) return null
      const productId = id('product')
      const [collectionId, collection] = pick([...collections].filter(([, c]) => c.brandId === brandId && c.designIds.length > 0)) ?? []
      const gtin = chance() < 0.6 ? pick(GTINS) : undefined
      return product(productId, 'CreateProduct', brandId, {
        brandId,
        brandName: 'Atelier',
        brand: VERIFIED,
        name: words(2),
        serialNumber: `SN-${productId}`,
        ...(gtin && { gtin }),
        ...(collectionId && collection && { collectionId, designId: pick(collection.designIds), collection }),
        originalPrice: { amount: 5000 + Math.floor(chance() * 20000), currency: 'EUR' },
        qrCode: id('qr'),
        qrUrl: `https://ptvem.test/p/${productId}`,
      })
    }],
    [3, () => {
      const state = someProduct()
      const to = pick(consumers.filter(userId => userId !== state?.ownerId))
      return state && to ? product(state.productId, 'TransferOwnership', state.ownerId, { toUserId: to }) : null
    }],
    [2, () => {
      const state = someProduct()
      return state ? product(state.productId, 'IssueClaimCode', state.ownerId, { claimCodeHash: id('claim'), expiresAt: new Date(clock + 7 * 86_400_000).toISOString() }) : null
    }],
    [2, () => {
      const state = pick([...products.values()].filter(candidate => candidate.claimCode !== null))
      const claimer = pick(consumers)
      return state && claimer ? product(state.productId, 'ClaimProduct', claimer, { claimCodeHash: state.claimCode!.hash }) : null
    }],
    [2, () => {
      const state = someProduct()
      const owner = state && pick(state.owners.map(({ ownerId }) => ownerId).filter(stillThere))
      return state && owner ? product(state.productId, 'ChangeConsent', owner, { visibility: pick(VISIBILITIES) }) : null
    }],
    [5, () => {
      const state = someProduct()
      if (!state) return null
      const mediaIds = chance() < 0.4 ? [id('media')] : []
      return product(state.productId, 'SubmitStory', state.ownerId, {
        storyId: childId(state.productId, id('s')),
        title: words(2),
        body: words(8),
        occurredAt: new Date(clock - 60_000).toISOString(),
        mediaIds,
      })
    }],
    [2, () => {
      const state = someProduct()
      const [storyId, story] = (state && someStory(state)) ?? []
      return state && storyId && story ? product(state.productId, 'EditStory', story.authorId, { storyId, body: words(6) }) : null
    }],
    [3, () => {
      const state = someProduct()
      const [storyId] = (state && someStory(state)) ?? []
      const decision = chance() < 0.8 ? 'approve' : 'reject'
      return state && storyId ? product(state.productId, 'ModerateStory', moderator, { storyId, decision, ...(decision === 'reject' && { reason: 'off topic' }) }) : null
    }],
    [0.7, () => {
      const state = someProduct()
      const [storyId, story] = (state && someStory(state)) ?? []
      return state && storyId && story ? product(state.productId, 'DeleteStory', chance() < 0.5 ? story.authorId : moderator, { storyId }) : null
    }],
    [4, () => {
      const state = someProduct()
      if (!state) return null
      const price = { amount: 2000 + Math.floor(chance() * 10000), currency: 'EUR' }
      return product(state.productId, 'ListProduct', state.ownerId, {
        listingId: childId(state.productId, id('l')),
        price,
        condition: pick(CONDITIONS),
        description: words(4),
        suggestedPrice: null,
      })
    }],
    [1.5, () => {
      const state = someProduct()
      const listing = state && openListing(state)
      return state && listing ? product(state.productId, 'UpdateListing', listing.sellerId, { listingId: listing.listingId, price: { amount: listing.price.amount - 100, currency: 'EUR' } }) : null
    }],
    [0.7, () => {
      const state = someProduct()
      const listing = state && openListing(state)
      return state && listing ? product(state.productId, 'WithdrawListing', listing.sellerId, { listingId: listing.listingId }) : null
    }],
    [4, () => {
      const state = pick([...products.values()].filter(candidate => openListing(candidate)?.status === 'active'))
      const listing = state && openListing(state)
      const buyer = pick(consumers.filter(userId => userId !== listing?.sellerId))
      if (!state || !listing || !buyer) return null
      const expiresAt = new Date(clock + 15 * 60_000).toISOString()
      return product(state.productId, 'ReserveListing', buyer, { listingId: listing.listingId, transactionId: childId(state.productId, id('t')), expiresAt })
    }],
    [3, () => {
      const state = someProduct()
      const transaction = state && pending(state)
      return state && transaction ? product(state.productId, 'ConfirmPurchase', transaction.buyerId, { transactionId: transaction.transactionId, paymentReference: id('pay') }) : null
    }],
    [0.7, () => {
      const state = someProduct()
      const transaction = state && pending(state)
      const by = transaction && (chance() < 0.5 ? transaction.buyerId : transaction.sellerId)
      return state && transaction && by ? product(state.productId, 'CancelReservation', by, { transactionId: transaction.transactionId }) : null
    }],
    [0.7, () => {
      const state = someProduct()
      const transaction = state && pending(state)
      return state && transaction ? product(state.productId, 'ExpireReservation', 'system', { transactionId: transaction.transactionId }) : null
    }],
    [0.7, () => {
      const state = someProduct()
      return state ? product(state.productId, 'RegenerateQrCode', state.ownerId, { qrCode: id('qr'), qrUrl: `https://ptvem.test/p/${state.productId}` }) : null
    }],
    [0.3, () => {
      const userId = pick(consumers)
      return userId ? user(userId, 'ChangeRoles', admin, { roles: ['consumer', 'moderator'] }) : null
    }],
  ]
  const total = steps.reduce((sum, [weight]) => sum + weight, 0)
  const choose = (): Step => {
    let at = chance() * total
    for (const [weight, step] of steps) if ((at -= weight) < 0) return step()
    return null
  }

  roles.set(admin, ['admin'])
  let appended = 0
  let refused = 0
  const runStep = async (step: Step) => {
    if (!step) return
    const metadata = { correlationId: id('correlation'), causationId: id('cause') }
    try {
      const result = await handleCommand({ log: ports.eventLog, streamId: step.streamId, decider: step.decider, command: step.command, metadata, newEventId: () => id('event') })
      appended += result.newEvents.length
      step.then?.(result.newState)
    } catch (error) {
      if (!(error instanceof DomainError)) throw error
      refused++
    }
  }

  for (const step of [register('brand', ['brand']), register('consumer', ['consumer']), register('consumer', ['consumer', 'moderator'], moderator)]) {
    await runStep(step)
  }

  for (let n = 0; n < options.commands; n++) {
    clock += 60_000 * (1 + Math.floor(chance() * 30))
    const erasable = consumers.filter(userId => userId !== moderator)
    if (options.erasures && chance() < 0.004 && erasable.length > 3) {
      const userId = pick(erasable)!
      consumers.splice(consumers.indexOf(userId), 1)
      erased.push(userId)
      const correlationId = id('correlation')
      await eraseUser(ports, userId, { ...as(admin), correlationId, causationId: correlationId }, () => id('event'))
      appended++
      continue
    }
    await runStep(choose())
  }
  return {
    appended,
    refused,
    products: [...products.keys()],
    consumers,
    brands,
    erased,
    next: { ...options, seed: options.seed + 1, start: new Date(clock + 60_000) },
  }
}
