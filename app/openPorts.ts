/**
 * The ports of a process, from its configuration: the production adapter of each port whose server is
 * configured, the embedded one (under DATA_DIR) of every other. Production adapters resolve once their server
 * answers, so a wrong address fails at start-up. They are imported only then: their drivers take longer to
 * load than the rest of a process's start.
 */
import { join } from 'node:path'
import type { Redis } from 'ioredis'
import type { FastifyBaseLogger } from 'fastify'
import type { AppConfig, AppContext, PortName, PortReadiness, ProductionSettings } from './context.ts'
import type { EventLog } from '../eventlog/port.ts'
import type { ReadModelStore } from '../readmodels/port.ts'
import type { Cache, IntegrationBus, KeyStore, MediaStore, WebhookStore } from '../adapters/ports.ts'
import type { RateLimitStoreOptions } from '../http/rateLimit.ts'
import { SqliteEventLog } from '../eventlog/sqlite.ts'
import { SqliteReadModelStore } from '../readmodels/sqlite.ts'
import { encryptingEventLog } from '../adapters/personalData.ts'
import { cachedKeyStore } from '../adapters/cachedKeyStore.ts'
import { InProcessBus } from '../adapters/embedded/inProcessBus.ts'
import { LocalFolderMedia } from '../adapters/embedded/localFolderMedia.ts'
import { MemoryCache } from '../adapters/embedded/memoryCache.ts'
import { SqliteKeyStore } from '../adapters/embedded/sqliteKeyStore.ts'
import { SqlitePartnerStore } from '../adapters/embedded/sqlitePartnerStore.ts'
import { SqliteWebhookStore } from '../adapters/embedded/sqliteWebhookStore.ts'
import type { KafkaBus } from '../adapters/production/kafkaBus.ts'
import type { MongoPartnerStore } from '../adapters/production/mongoPartnerStore.ts'
import { collections } from '../readmodels/documents.ts'
import { degradingCache } from '../adapters/degradingCache.ts'
import { sharedRateLimitStore } from '../adapters/rateLimitStore.ts'

export interface Ports extends Pick<AppContext, 'eventLog' | 'rawEventLog' | 'readModels' | 'cache' | 'keys' | 'apiKeys' | 'accessLog' | 'webhooks' | 'media' | 'bus' | 'readiness'> {
  /** The cache with its failures: projections write through this one, so that a failed write is retried. */
  rawCache: Cache
  /** false for the in-process bus, whose messages end with the process. */
  durableBus: boolean
  /** Rate-limit counters shared by every instance, when Redis is configured. */
  rateLimitStore?: RateLimitStoreOptions
  /** Closes every port (the log last). */
  close(): Promise<void>
}

const PROBE_KEY = 'ready-probe'

interface Closable {
  close(): Promise<void>
}

const implementations = ({ eventStoreUrl, postgresUrl, mongodbUrl, redisUrl, kafka, s3 }: ProductionSettings): Record<PortName, string> => ({
  eventLog: eventStoreUrl ? 'kurrentdb' : postgresUrl ? 'postgresql' : 'sqlite',
  readModels: mongodbUrl ? 'mongodb' : 'sqlite',
  keys: mongodbUrl ? 'mongodb' : 'sqlite',
  partners: mongodbUrl ? 'mongodb' : 'sqlite',
  webhooks: mongodbUrl ? 'mongodb' : 'sqlite',
  cache: redisUrl ? 'redis' : 'memory',
  media: s3 ? 's3' : 'folder',
  bus: kafka ? 'kafka' : 'in-process',
})

/** Requests are answered correctly without these: the cache degrades to misses, the bus is not on the request path. */
const OPTIONAL: ReadonlySet<PortName> = new Set(['cache', 'bus'])

export async function openPorts(config: AppConfig, log: FastifyBaseLogger): Promise<Ports> {
  const { production: servers, dataDir } = config
  const file = (name: string) => join(dataDir, name)
  const opened: Closable[] = []
  const open = async <T extends Closable>(port: T | Promise<T>): Promise<T> => {
    const ready = await port
    opened.unshift(ready)
    return ready
  }
  const close = async () => {
    for (const port of opened) await port.close()
  }

  try {
    const { eventStoreUrl, postgresUrl, mongodbUrl, redisUrl, kafka: kafkaSettings, s3 } = servers
    const rawEventLog = await open<EventLog>(
      eventStoreUrl
        ? import('../eventlog/kurrentdb.ts').then(({ KurrentEventLog }) => new KurrentEventLog(eventStoreUrl))
        : postgresUrl
          ? import('../eventlog/postgres.ts').then(({ PostgresEventLog }) => PostgresEventLog.connect(postgresUrl))
          : new SqliteEventLog(file('events.sqlite')),
    )
    const readModels = await open<ReadModelStore>(
      mongodbUrl ? import('../readmodels/mongo.ts').then(({ MongoReadModelStore }) => MongoReadModelStore.connect(mongodbUrl)) : new SqliteReadModelStore(file('readmodels.sqlite')),
    )
    const keys = await open<KeyStore>(
      mongodbUrl ? import('../adapters/production/mongoKeyStore.ts').then(({ MongoKeyStore }) => MongoKeyStore.connect(mongodbUrl)) : new SqliteKeyStore(file('keys.sqlite')),
    )
    const partners = await open<MongoPartnerStore | SqlitePartnerStore>(
      mongodbUrl
        ? import('../adapters/production/mongoPartnerStore.ts').then(({ MongoPartnerStore }) => MongoPartnerStore.connect(mongodbUrl))
        : new SqlitePartnerStore(file('partners.sqlite')),
    )
    const webhooks = await open<WebhookStore>(
      mongodbUrl
        ? import('../adapters/production/mongoWebhookStore.ts').then(({ MongoWebhookStore }) => MongoWebhookStore.connect(mongodbUrl))
        : new SqliteWebhookStore(file('webhooks.sqlite')),
    )
    const redisCache = redisUrl ? await open(import('../adapters/production/redisCache.ts').then(({ RedisCache }) => RedisCache.connect({ url: redisUrl }))) : undefined
    redisCache?.redis.on('error', connectionError(log, 'cache'))
    const rawCache = redisCache ?? (await open<Cache>(new MemoryCache()))
    const media = await open<MediaStore>(s3 ? import('../adapters/production/s3Media.ts').then(({ S3Media }) => S3Media.connect(s3)) : new LocalFolderMedia(file('media')))
    // One partition keeps the topic in log order, which the notification consumer's checkpoint relies on.
    const kafka =
      kafkaSettings && (await open(import('../adapters/production/kafkaBus.ts').then(({ KafkaBus }) => KafkaBus.connect({ ...kafkaSettings, partitions: 1 }))))
    if (kafka) await warnUnlessOnePartition(kafka, log)
    const bus = kafka || (await open<IntegrationBus>(new InProcessBus()))
    const counters = redisUrl ? await open(rateLimitCounters(redisUrl, log)) : undefined

    const cachedKeys = cachedKeyStore(keys)
    const eventLog = encryptingEventLog(rawEventLog, cachedKeys, {
      onUndecryptable: (error, event) => log.warn({ err: error, position: event.position }, 'personal data did not decrypt'),
    })
    const checks: Record<PortName, () => Promise<unknown>> = {
      eventLog: () => rawEventLog.headPosition(),
      readModels: () => readModels.get(collections.products, PROBE_KEY),
      cache: redisCache ? () => redisAnswers(redisCache.redis) : () => rawCache.get(PROBE_KEY),
      keys: () => keys.find(PROBE_KEY),
      partners: () => partners.keyById(PROBE_KEY),
      webhooks: () => webhooks.webhookById(PROBE_KEY),
      media: () => media.get(PROBE_KEY),
      bus: kafka ? () => brokerAnswers(kafka) : async () => {},
    }
    const implementation = implementations(servers)
    const readiness = Object.fromEntries(
      Object.entries(checks).map(([name, check]) => [name, { implementation: implementation[name as PortName], required: !OPTIONAL.has(name as PortName), check }]),
    ) as Record<PortName, PortReadiness>

    return {
      eventLog,
      rawEventLog,
      readModels,
      cache: redisCache ? degradingCache(rawCache, { onFailure: error => log.warn({ err: error }, 'the cache failed: answering without it') }) : rawCache,
      rawCache,
      keys: cachedKeys,
      apiKeys: partners,
      accessLog: partners,
      webhooks,
      media,
      bus,
      durableBus: Boolean(kafka),
      readiness,
      rateLimitStore: counters && { store: sharedRateLimitStore(counters.redis, 'ptvem:rate-limit:') },
      close,
    }
  } catch (error) {
    await close()
    throw error
  }
}

/**
 * A Redis client of their own for the rate-limit counters, failing at once while the server is away instead of
 * queueing, so that a login is counted locally at once rather than after a wait.
 */
async function rateLimitCounters(url: string, log: FastifyBaseLogger): Promise<{ redis: Redis; close(): Promise<void> }> {
  const { Redis } = await import('ioredis')
  const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, commandTimeout: 500, maxRetriesPerRequest: 1 })
  redis.on('error', connectionError(log, 'rate-limit counters'))
  await redis.connect()
  return { redis, close: async () => redis.disconnect() }
}

/** ioredis reports each failed reconnection as an event; the calls that fail are what the other logs report. */
const connectionError = (log: FastifyBaseLogger, client: string) => (error: Error) => log.debug({ err: error, client }, 'Redis connection error')

/** The cache client queues commands while disconnected: ask how it is instead of waiting on it. */
async function redisAnswers(redis: Redis): Promise<void> {
  if (redis.status !== 'ready') throw new Error(`the Redis connection is ${redis.status}`)
  await redis.ping()
}

/** A topic made elsewhere may have more partitions, and then no longer delivers in log order. */
async function warnUnlessOnePartition(bus: KafkaBus, log: FastifyBaseLogger): Promise<void> {
  const admin = bus.kafka.admin()
  await admin.connect()
  try {
    const [topic] = (await admin.fetchTopicMetadata({ topics: [bus.topic] })).topics
    const partitions = topic?.partitions.length
    if (partitions !== 1) log.warn({ topic: bus.topic, partitions }, 'the integration topic is not in log order: x-min-position may answer before notifications are in')
  } finally {
    await admin.disconnect()
  }
}

async function brokerAnswers(bus: KafkaBus): Promise<void> {
  const admin = bus.kafka.admin({ retry: { retries: 0 } })
  await admin.connect()
  try {
    await admin.describeCluster()
  } finally {
    await admin.disconnect()
  }
}
