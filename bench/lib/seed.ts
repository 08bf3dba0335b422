/**
 * Seeding a data folder: accounts through the real HTTP routes (in process, with app.inject, as
 * test/testing/harness.ts does), everything else written straight to the event log in batches (bulkLog.ts). The
 * read models are then built by the projection runner (a `rebuild` worker, see processes.ts).
 */
import { buildApp } from '../../app/buildApp.ts'
import { createLogger } from '../../app/logger.ts'
import { decideBrandVerification } from '../../command-api/brands/verification.ts'
import { BulkLog, type StreamAppend } from './bulkLog.ts'
import { dataFiles, type AppEnv } from './config.ts'
import { startBenchService } from './service.ts'
import { claimCodeIssued, consentChanged, newProduct, qrCodes, qrRegenerated, transferred, type Brand } from './events.ts'

export interface BenchUser {
  userId: string
  token: string
  displayName: string
  brandName?: string
}

export interface UserSpec {
  accountType: 'consumer' | 'brand'
  displayName: string
  brandName?: string
  /** A brand's GS1 Company Prefixes, granted with its verification. */
  gs1CompanyPrefixes?: string[]
}

let registered = 0

/**
 * Registers the accounts and logs each in, through the app's own routes; with the production servers `env`
 * names, their data keys and read models land there (MongoDB), as the app that serves them will look for them.
 */
export async function registerUsers(dataDir: string, specs: readonly UserSpec[], env?: AppEnv): Promise<BenchUser[]> {
  const log = createLogger('silent')
  const embedded = await startBenchService(dataDir, 'silent', env, log)
  const app = await buildApp(embedded.ctx, { log }).catch(async (error: unknown) => {
    // Its open connections (MongoDB, Redis) would otherwise keep the benchmark's process alive.
    await embedded.close()
    throw error
  })
  try {
    return await Promise.all(
      specs.map(async ({ gs1CompanyPrefixes, ...spec }) => {
        const n = ++registered
        const email = `bench-${n}-${process.pid}@example.test`
        const password = `bench-password-${n}`
        const registration = await app.inject({ method: 'POST', url: '/api/auth/register', payload: { email, password, ...spec } })
        if (registration.statusCode !== 201) throw new Error(`register failed: ${registration.statusCode} ${registration.body}`)
        const { userId } = registration.json() as { userId: string }
        // A brand issues once verified: the admin's decision, as the verification route takes it.
        if (spec.accountType === 'brand') {
          const admin = { actorId: 'bench-admin', roles: ['admin' as const], now: new Date().toISOString(), correlationId: 'bench', causationId: 'bench' }
          await decideBrandVerification(embedded.ctx, { userId, decision: 'approve', ...(gs1CompanyPrefixes && { gs1CompanyPrefixes }) }, admin)
        }
        const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } })
        if (login.statusCode !== 200) throw new Error(`login failed: ${login.statusCode} ${login.body}`)
        return { userId, token: login.json().accessToken as string, ...spec }
      }),
    )
  } finally {
    await app.close()
    await embedded.close()
  }
}

export const brandSpec = (name: string): UserSpec => ({ accountType: 'brand', displayName: `${name} studio`, brandName: name })
export const consumerSpec = (name: string): UserSpec => ({ accountType: 'consumer', displayName: name })
export const asBrand = (user: BenchUser): Brand => ({ userId: user.userId, brandName: user.brandName ?? user.displayName })

/** Writes `count` streams made by `make(i)`, `batch` streams per commit. */
export async function writeStreams(dataDir: string, count: number, make: (i: number) => StreamAppend, batch = 2000): Promise<number> {
  const bulk = new BulkLog(dataFiles(dataDir).events)
  try {
    for (let start = 0; start < count; start += batch) {
      const appends: StreamAppend[] = []
      for (let i = start; i < Math.min(count, start + batch); i++) appends.push(make(i))
      await bulk.appendAll(appends)
    }
    return bulk.appended
  } finally {
    await bulk.close()
  }
}

export interface SeededProducts {
  productIds: string[]
  qrCodes: string[]
  events: number
}

/** `count` products owned by their brand: ProductCreated and QrCodeIssued each. */
export async function seedProducts(dataDir: string, brand: Brand, count: number): Promise<SeededProducts> {
  const codes = qrCodes()
  const productIds: string[] = []
  const issued: string[] = []
  const events = await writeStreams(dataDir, count, i => {
    const product = newProduct(codes, brand, i)
    productIds.push(product.productId)
    issued.push(product.qrCode)
    return { streamId: product.streamId, events: product.events, expected: 'no_stream' }
  })
  return { productIds, qrCodes: issued, events }
}

/** `count` products made by `brand` and handed to `owner`, each ready to be transferred on; their ids. */
export async function seedOwnedProducts(dataDir: string, brand: Brand, owner: string, count: number): Promise<string[]> {
  const codes = qrCodes()
  const productIds: string[] = []
  await writeStreams(dataDir, count, i => {
    const product = newProduct(codes, brand, i)
    productIds.push(product.productId)
    return { streamId: product.streamId, expected: 'no_stream', events: [...product.events, transferred(product.productId, brand.userId, owner, 1)] }
  })
  return productIds
}

export interface LongProduct {
  productId: string
  streamId: string
  /** Who owns it after the seeded events. */
  owner: string
  events: number
}

/**
 * `count` products whose streams have exactly `length` events each (at least 2): created by the brand, then
 * cycles of 10 events: 4 changes of owner between `a` and `b` (one by claim code), 2 consent changes, 2 claim
 * codes issued and a QR code regenerated (revoked + issued). Every kind of event that piles up in the product's
 * state (owner periods, revoked codes, used claim codes) is in the mix.
 */
export async function seedLongProducts(dataDir: string, brand: Brand, a: string, b: string, length: number, count = 1): Promise<LongProduct[]> {
  const codes = qrCodes()
  const CHUNK = 5000
  const seeded: LongProduct[] = []
  const history = (n: number) => {
    const product = newProduct(codes, brand, n)
    const { productId } = product
    const events = [...product.events]
    let owner = brand.userId
    let qrCode = product.qrCode
    const handOver = (tick: number, via: 'transfer' | 'claim' = 'transfer') => {
      const to = owner === a ? b : a
      events.push(transferred(productId, owner, to, tick, via))
      owner = to
    }
    for (let tick = events.length; events.length < length; tick++) {
      const step = (events.length - 2) % 10
      if (owner === brand.userId || step === 0 || step === 2 || step === 6) handOver(tick)
      else if (step === 4) handOver(tick, 'claim')
      else if (step === 1 || step === 5) events.push(consentChanged(productId, owner, step === 1 ? 'anonymous' : 'public', tick))
      else if (step === 3 || step === 7 || events.length === length - 1) events.push(claimCodeIssued(productId, owner, tick))
      else {
        const regenerated = qrRegenerated(codes, productId, qrCode, owner, tick)
        events.push(...regenerated.events)
        qrCode = regenerated.qrCode
      }
    }
    return { product, events, owner }
  }
  const bulk = new BulkLog(dataFiles(dataDir).events)
  try {
    let pending: StreamAppend[] = []
    let pendingEvents = 0
    for (let n = 0; n < count; n++) {
      const { product, events, owner } = history(n)
      for (let start = 0; start < events.length; start += CHUNK) {
        const chunk = events.slice(start, start + CHUNK)
        pending.push({ streamId: product.streamId, events: chunk, expected: start === 0 ? 'no_stream' : start - 1 })
        pendingEvents += chunk.length
        if (pendingEvents >= CHUNK) {
          await bulk.appendAll(pending)
          pending = []
          pendingEvents = 0
        }
      }
      seeded.push({ productId: product.productId, streamId: product.streamId, owner, events: events.length })
    }
    if (pending.length) await bulk.appendAll(pending)
    return seeded
  } finally {
    await bulk.close()
  }
}

/**
 * A log of about `target` events with the mix of a living service: per product, creation and its QR code,
 * four changes of owner (one through a claim code), a consent change and a QR code regenerated: 10 events.
 */
export async function seedMixedLog(dataDir: string, brand: Brand, consumers: readonly string[], target: number) {
  const codes = qrCodes()
  const PER_PRODUCT = 10
  const products = Math.max(1, Math.round(target / PER_PRODUCT))
  const owner = (i: number, k: number) => consumers[(i + k) % consumers.length]!
  const events = await writeStreams(
    dataDir,
    products,
    i => {
      const product = newProduct(codes, brand, i, i)
      const { productId } = product
      const [u1, u2, u3, u4] = [owner(i, 0), owner(i, 1), owner(i, 2), owner(i, 3)]
      const t = i + 1
      const regenerated = qrRegenerated(codes, productId, product.qrCode, u3, t + 7)
      return {
        streamId: product.streamId,
        expected: 'no_stream',
        events: [
          ...product.events,
          transferred(productId, brand.userId, u1, t),
          transferred(productId, u1, u2, t + 1),
          consentChanged(productId, u1, 'anonymous', t + 2),
          claimCodeIssued(productId, u2, t + 3),
          transferred(productId, u2, u3, t + 4, 'claim'),
          ...regenerated.events,
          transferred(productId, u3, u4, t + 8),
        ],
      }
    },
    1000,
  )
  return { products, events }
}
