/**
 * Suite 1 on the production adapters (only with MONGODB_URL and REDIS_URL, e.g. the native stack): the same
 * scan load on the app with MongoDB read models and data keys (FerretDB in the native stack) and the Redis QR
 * look-up cache, the event log still the SQLite file, next to the embedded app and the bare baseline that
 * qrScan.ts measured; and against what the MongoDB server itself allows, in the same run: raw insertMany for
 * the catch-up, raw findOne for the uncached scans. Without the servers, each of its rows says why there is no
 * figure.
 */
import { newDataDir, type AppEnv } from '../lib/config.ts'
import { expectOk, getEach } from '../lib/http.ts'
import { failures, runLoad, runWorker, startServer } from '../lib/processes.ts'
import { compare, missing, type Figure } from '../lib/results.ts'
import { asBrand, brandSpec, registerUsers, seedProducts } from '../lib/seed.ts'
import { openStack } from '../lib/stack.ts'
import type { SuiteContext } from '../lib/suite.ts'
import type { LoadResult, LoadSpec } from '../loadgen.ts'
import type { WorkerResult } from '../worker.ts'
import { collections } from '../../readmodels/documents.ts'
import { mongoCollectionName } from '../../readmodels/mongo.ts'

export interface MeasuredEmbedded {
  /** The load qrScan.ts put on the embedded app and the bare route (its paths are replaced here). */
  load: Omit<LoadSpec, 'url'>
  embedded: LoadResult
  bare: LoadResult
  embeddedCatchUp: WorkerResult
}

export interface StackOutcome {
  figures: Figure[]
  notes: string[]
  details?: Record<string, unknown>
}

const ADAPTERS = 'MongoDB read models + Redis cache'
const UNCACHED = 'scan cache off'
const NAMES = {
  rps: `requests/s, ${ADAPTERS}`,
  p99: `p99 latency, ${ADAPTERS}`,
  vsEmbedded: `requests/s, ${ADAPTERS}, against the embedded app`,
  uncachedRps: `requests/s, ${ADAPTERS}, ${UNCACHED} (Redis hit + MongoDB reads)`,
  uncachedP99: `p99 latency, ${ADAPTERS}, ${UNCACHED}`,
  catchUp: 'store catch-up into MongoDB + Redis',
  catchUpVsInsert: 'store catch-up into MongoDB',
  uncachedVsFindOne: `uncached scans/s, ${ADAPTERS}`,
}

const GOALS = {
  catchUp: { min: 0.25, text: 'ratio ≥ 0.25' },
  uncached: { min: 0.5, text: 'ratio ≥ 0.5' },
}

const absent = (why: string): StackOutcome => ({
  figures: [
    missing(NAMES.rps, 'req/s', why),
    missing(NAMES.p99, 'ms', why),
    missing(NAMES.vsEmbedded, 'req/s', why),
    missing(NAMES.uncachedRps, 'req/s', why),
    missing(NAMES.uncachedP99, 'ms', why),
    missing(NAMES.catchUp, 'events/s', why),
    missing(NAMES.catchUpVsInsert, 'events/s', why),
    missing(NAMES.uncachedVsFindOne, 'req/s', why),
  ],
  notes: [`${ADAPTERS}: not measured, ${why}.`],
})

const n = (value: number) => Math.round(value).toLocaleString('en-US')

export async function scanOnStack(ctx: SuiteContext, measured: MeasuredEmbedded): Promise<StackOutcome> {
  const { options } = ctx
  const stack = await openStack(options)
  if ('why' in stack) return absent(stack.why)
  const dir = await newDataDir('qr-stack', options.dataRoot, options.keep)
  try {
    ctx.log(`production adapters: MongoDB database ${stack.database}, Redis database ${stack.redisDb}`)
    const [brand] = await registerUsers(dir.path, [brandSpec('Atelier Leste')], stack.env)
    const seeded = await seedProducts(dir.path, asBrand(brand!), options.mongoProducts)
    const catchUp = await runWorker({ kind: 'catchUp', dataDir: dir.path, env: stack.env })
    ctx.log(`caught ${options.mongoProducts} products up into MongoDB and Redis in ${catchUp.seconds.toFixed(1)} s`)
    const keys = await stack.qrKeys()
    if (keys !== seeded.qrCodes.length) throw new Error(`Redis holds ${keys} QR look-up keys after the catch-up, not ${seeded.qrCodes.length}`)
    const products = mongoCollectionName(collections.products)
    const inserted = await runWorker({ kind: 'rawInsertMany', mongodbUrl: stack.env.MONGODB_URL, collection: products, count: catchUp.events })
    ctx.log(`raw insertMany: ${n(inserted.eventsPerSecond)} documents/s`)

    const paths = seeded.qrCodes.map(code => `/api/products/${code}`)
    /**
     * The app restarted on the store, under the same load; Redis' GET hits and misses counted around it. Primed:
     * every code scanned once first, so that the load finds every product in the scan cache.
     */
    const scanLoad = async (env: AppEnv, primed: boolean) => {
      const server = await startServer({ mode: 'app', dataDir: dir.path, logLevel: options.logLevel, env })
      try {
        const sample = await expectOk(`${server.url}${paths[0]}`)
        const primingSeconds = primed ? await getEach(server.url, paths, measured.load.connections) : 0
        const before = await stack.keyspaceStats()
        const result = await runLoad({ ...measured.load, scenario: { kind: 'get', paths }, url: server.url })
        const after = await stack.keyspaceStats()
        return { result, primingSeconds, bodyBytes: Buffer.byteLength(sample.body), redisHits: after.hits - before.hits, redisMisses: after.misses - before.misses }
      } finally {
        await server.stop()
      }
    }
    const cached = await scanLoad(stack.env, true)
    const uncached = await scanLoad({ ...stack.env, SCAN_CACHE_SIZE: '0' }, false)
    const scanned = cached.result
    const read = await runWorker({ kind: 'rawFindOne', mongodbUrl: stack.env.MONGODB_URL, collection: products, seconds: options.duration, concurrency: options.connections })
    ctx.log(`raw findOne: ${n(read.eventsPerSecond)} reads/s; uncached scans ${n(uncached.result.requestsPerSecond)} req/s`)

    const { bare, embedded, embeddedCatchUp } = measured
    const redis = ({ redisHits, redisMisses }: typeof cached) => `Redis counted ${n(redisHits)} GET hits and ${n(redisMisses)} misses over the load and its warm-up (the whole server's counters)`
    return {
      figures: [
        compare(NAMES.rps, scanned.requestsPerSecond, 'req/s', { name: 'bare Fastify, constant body', value: bare.requestsPerSecond }),
        compare(NAMES.p99, scanned.latency.p99, 'ms', { name: 'bare Fastify', value: bare.latency.p99 }),
        compare(NAMES.vsEmbedded, scanned.requestsPerSecond, 'req/s', { name: 'embedded app (SQLite read models, in-process cache)', value: embedded.requestsPerSecond }),
        compare(NAMES.uncachedRps, uncached.result.requestsPerSecond, 'req/s', { name: 'bare Fastify, constant body', value: bare.requestsPerSecond }),
        compare(NAMES.uncachedP99, uncached.result.latency.p99, 'ms', { name: 'bare Fastify', value: bare.latency.p99 }),
        compare(NAMES.catchUp, catchUp.eventsPerSecond, 'events/s', { name: 'catch-up of the embedded store', value: embeddedCatchUp.eventsPerSecond }),
        compare(NAMES.catchUpVsInsert, catchUp.eventsPerSecond, 'events/s', { name: 'raw insertMany', value: inserted.eventsPerSecond }, GOALS.catchUp),
        compare(NAMES.uncachedVsFindOne, uncached.result.requestsPerSecond, 'req/s', { name: 'raw findOne', value: read.eventsPerSecond }, GOALS.uncached),
      ],
      notes: [
        `${ADAPTERS}: a store of its own, ${options.mongoProducts.toLocaleString('en-US')} products (--mongo-products; ${seeded.events.toLocaleString('en-US')} events) seeded as above into its own SQLite log (the brand registered through the app on MongoDB, so that its data key is there), then caught up by the app's own projectors into a new MongoDB database (${stack.database}, dropped afterwards) and a Redis database index found empty (${stack.redisDb}; the app's keys there deleted afterwards): ${n(catchUp.events)} events in ${catchUp.seconds.toFixed(1)} s, every projector, the QR cache's \`qr:{code}\` keys included (${n(keys)} of them), against the embedded store's catch-up rate (SQLite, ${options.products.toLocaleString('en-US')} products). The store is smaller than the embedded one because FerretDB v1 reads a whole collection for every lookup, so the catch-up slows as its collections grow. Baseline of the goal: raw insertMany of as many copies of the caught-up products as the catch-up applied events, 1,000 per call, into a new collection of the same database (${n(inserted.eventsPerSecond)} documents/s).`,
        `${ADAPTERS}: the app restarted on that store (MONGODB_URL and REDIS_URL set, nothing else: the log stays SQLite, the bus in process), then the same autocannon load on codes picked at random among its ${n(paths.length)}; ${n(scanned.requests)} scans, ${failures(scanned)} not 2xx/errors/timeouts; response body ${cached.bodyBytes} bytes. As the app is configured (scan cache on), only a product's first scan reads Redis and MongoDB, later ones are answered from the query API's scan cache in memory; so every code was scanned once before the load (${n(paths.length)} scans, ${options.connections} at a time, in ${cached.primingSeconds.toFixed(1)} s) and the load measures that steady state, as for the embedded app. ${redis(cached)}.`,
        `${ADAPTERS}, ${UNCACHED}: the same app restarted with SCAN_CACHE_SIZE=0, so that every scan reads the code's product from Redis (\`qr:{code}\`, a hit) and then the product and its people from MongoDB: the production read path with no in-process cache; ${n(uncached.result.requests)} scans, ${failures(uncached.result)} not 2xx/errors/timeouts. ${redis(uncached)}. Baseline of the goal: raw findOne({ _id }) of random products, ${options.connections} at a time for ${options.duration} s, right after (${n(read.eventsPerSecond)} reads/s). An uncached scan asks Redis twice (the code's product, the scan's count for clone detection) and MongoDB three times (the product, its public owners, its brand), in two steps: the product with the code's look-up, then the owners and the brand with the count; each MongoDB read is a whole-collection scan on FerretDB v1.`,
      ],
      details: { cached, uncached, catchUp, inserted, read, redisKeys: keys },
    }
  } catch (error) {
    ctx.log(`production adapters failed: ${(error as Error).stack ?? String(error)}`)
    return absent(`failed: ${(error as Error).message.split('\n')[0]}`)
  } finally {
    await stack.release().catch(error => ctx.log(`could not clean up MongoDB ${stack.database} / Redis database ${stack.redisDb}: ${(error as Error).message}`))
    await dir.remove()
  }
}
