import t from 'tap'
import { loadConfig } from './config.ts'

t.test('defaults', async t => {
  const dataDir = t.testdir()
  const config = loadConfig({ DATA_DIR: dataDir })
  t.match(config, {
    port: 3000,
    host: '0.0.0.0',
    dataDir,
    publicBaseUrl: 'http://localhost:3000',
    rateLimitAuth: 100,
    reservationMinutes: 15,
    minPositionWaitMs: 2000,
    logLevel: 'info',
    adminEmail: undefined,
  })
  t.equal(loadConfig({ DATA_DIR: dataDir, PORT: '8080' }).publicBaseUrl, 'http://localhost:8080')
  t.equal(loadConfig({ DATA_DIR: dataDir, PUBLIC_BASE_URL: 'https://ptvem.example/' }).publicBaseUrl, 'https://ptvem.example')
})

t.test('generated secrets are kept in DATA_DIR and survive a restart', async t => {
  const dataDir = t.testdir()
  const first = loadConfig({ DATA_DIR: dataDir })
  t.ok(first.jwtSecret.length >= 32)
  t.not(first.jwtSecret, first.signingSecret)
  const second = loadConfig({ DATA_DIR: dataDir })
  t.equal(second.jwtSecret, first.jwtSecret)
  t.equal(second.signingSecret, first.signingSecret)
  t.equal(loadConfig({ DATA_DIR: dataDir, JWT_SECRET: 'from-env' }).jwtSecret, 'from-env')
})

t.test('a malformed number is refused at start', async t => {
  t.throws(() => loadConfig({ DATA_DIR: t.testdir(), PORT: 'eighty' }), /PORT must be a non-negative integer/)
  t.throws(() => loadConfig({ DATA_DIR: t.testdir(), RATE_LIMIT_AUTH: '-1' }), /RATE_LIMIT_AUTH/)
})

t.test('production servers come from the environment; a port without one stays embedded', async t => {
  const dataDir = t.testdir()
  t.same(Object.values(loadConfig({ DATA_DIR: dataDir }).production).filter(value => value !== undefined), [])
  const env = {
    DATA_DIR: dataDir,
    EVENTSTORE_URL: 'kurrentdb://kurrent:2113?tls=false',
    MONGODB_URL: 'mongodb://mongo/ptvem',
    REDIS_URL: 'redis://redis:6379',
    KAFKA_BROKERS: 'kafka-1:9092, kafka-2:9092',
    KAFKA_TOPIC: 'ptvem.events',
    S3_BUCKET: 'media',
    S3_ENDPOINT: 'http://minio:9000',
    S3_ACCESS_KEY_ID: 'id',
    S3_SECRET_ACCESS_KEY: 'secret',
  }
  t.match(loadConfig(env).production, {
    eventStoreUrl: env.EVENTSTORE_URL,
    mongodbUrl: env.MONGODB_URL,
    redisUrl: env.REDIS_URL,
    kafka: { brokers: ['kafka-1:9092', 'kafka-2:9092'], topic: 'ptvem.events' },
    s3: { bucket: 'media', endpoint: 'http://minio:9000', region: 'us-east-1', accessKeyId: 'id', secretAccessKey: 'secret' },
  })
})
