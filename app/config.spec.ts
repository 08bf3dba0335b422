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
    scanCacheSize: 100_000,
    scanAnomaly: { networks: 5, windowMinutes: 60 },
    logLevel: 'info',
    adminEmail: undefined,
  })
  t.equal(loadConfig({ DATA_DIR: dataDir, PORT: '8080' }).publicBaseUrl, 'http://localhost:8080')
  t.equal(loadConfig({ DATA_DIR: dataDir, PUBLIC_BASE_URL: 'https://ptvem.example/' }).publicBaseUrl, 'https://ptvem.example')
})

t.test('the scan-anomaly settings', async t => {
  const dataDir = t.testdir()
  t.same(loadConfig({ DATA_DIR: dataDir, SCAN_ANOMALY_NETWORKS: '3', SCAN_ANOMALY_WINDOW_MINUTES: '10' }).scanAnomaly, { networks: 3, windowMinutes: 10 })
  t.throws(() => loadConfig({ DATA_DIR: dataDir, SCAN_ANOMALY_NETWORKS: '0' }), /SCAN_ANOMALY_NETWORKS must be an integer of at least 1/)
})

t.test('generated secrets are kept in DATA_DIR and survive a restart', async t => {
  const dataDir = t.testdir()
  const first = loadConfig({ DATA_DIR: dataDir })
  t.ok(first.jwtSecret.length >= 32)
  t.not(first.jwtSecret, first.signingSecret)
  const second = loadConfig({ DATA_DIR: dataDir })
  t.equal(second.jwtSecret, first.jwtSecret)
  t.equal(second.signingSecret, first.signingSecret)
  const given = 'from-the-environment-32-bytes-long'
  t.equal(loadConfig({ DATA_DIR: dataDir, JWT_SECRET: given }).jwtSecret, given)
})

t.test('a secret shorter than 32 bytes is refused at start, naming the variable', async t => {
  const dataDir = t.testdir()
  const strong = 'x'.repeat(32)
  t.throws(() => loadConfig({ DATA_DIR: dataDir, JWT_SECRET: 'change-me-in-production' }), /JWT_SECRET must be at least 32 bytes, got 23/)
  t.throws(() => loadConfig({ DATA_DIR: dataDir, JWT_SECRET: strong, SIGNING_SECRET: 'change-me-too' }), /SIGNING_SECRET must be at least 32 bytes, got 13/)
  t.throws(() => loadConfig({ DATA_DIR: dataDir, SIGNING_SECRET: 'é'.repeat(15) }), /SIGNING_SECRET must be at least 32 bytes, got 30/, 'counted in bytes')
  t.equal(loadConfig({ DATA_DIR: dataDir, JWT_SECRET: strong, SIGNING_SECRET: 'é'.repeat(16) }).signingSecret, 'é'.repeat(16), '32 bytes will do')
})

t.test('a reservation or a token lifetime of 0 is refused at start', async t => {
  const dataDir = t.testdir()
  t.throws(() => loadConfig({ DATA_DIR: dataDir, RESERVATION_MINUTES: '0' }), /RESERVATION_MINUTES must be an integer of at least 1, got "0"/)
  t.throws(() => loadConfig({ DATA_DIR: dataDir, JWT_EXPIRES_IN: '0' }), /JWT_EXPIRES_IN must be an integer of at least 1, got "0"/)
  t.match(loadConfig({ DATA_DIR: dataDir, RESERVATION_MINUTES: '1', JWT_EXPIRES_IN: '1' }), { reservationMinutes: 1, jwtExpiresIn: 1 })
})

t.test('METRICS_PORT names the operations port, which must not be the public one', async t => {
  const dataDir = t.testdir()
  t.equal(loadConfig({ DATA_DIR: dataDir }).metricsPort, undefined, 'unset: /metrics stays on the public port')
  t.equal(loadConfig({ DATA_DIR: dataDir, METRICS_PORT: '9464' }).metricsPort, 9464)
  t.equal(loadConfig({ DATA_DIR: dataDir, PORT: '0', METRICS_PORT: '0' }).metricsPort, 0, 'both on any free port')
  t.throws(() => loadConfig({ DATA_DIR: dataDir, PORT: '8080', METRICS_PORT: '8080' }), /METRICS_PORT must differ from PORT/)
  t.throws(() => loadConfig({ DATA_DIR: dataDir, METRICS_PORT: 'ops' }), /METRICS_PORT must be a non-negative integer/)
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
  t.match(loadConfig({ DATA_DIR: dataDir, POSTGRES_URL: 'postgres://ptvem@postgres:5432/ptvem' }).production, { postgresUrl: 'postgres://ptvem@postgres:5432/ptvem', eventStoreUrl: undefined })
  t.throws(() => loadConfig({ ...env, POSTGRES_URL: 'postgres://postgres/ptvem' }), /EVENTSTORE_URL and POSTGRES_URL both name an event log/)
  t.match(loadConfig(env).production, {
    eventStoreUrl: env.EVENTSTORE_URL,
    mongodbUrl: env.MONGODB_URL,
    redisUrl: env.REDIS_URL,
    kafka: { brokers: ['kafka-1:9092', 'kafka-2:9092'], topic: 'ptvem.events' },
    s3: { bucket: 'media', endpoint: 'http://minio:9000', region: 'us-east-1', accessKeyId: 'id', secretAccessKey: 'secret' },
  })
})

t.test('limits, timeouts and TRUST_PROXY', async t => {
  const dataDir = t.testdir()
  const config = loadConfig({ DATA_DIR: dataDir })
  t.same(config.rateLimit, { perMinute: 3000, costlyPerMinute: 300 })
  t.equal(config.trustProxy, false, 'the client address is the TCP peer by default')
  t.match(config.limits, {
    liveStreamsPerAddress: 50,
    liveStreamsPerProcess: 5000,
    liveIdleMs: 600_000,
    uploadsPerMinute: 10,
    uploadsPerDay: 200,
    uploadBytesPerDay: 500 * 1024 * 1024,
    passwordHashing: { concurrent: 4, waiting: 64 },
    loginFailuresPerEmail: 100,
    timeouts: { headers: 10_000, request: 30_000, upload: 120_000, keepAlive: 10_000, idle: 30_000 },
  })
  t.equal(loadConfig({ DATA_DIR: dataDir, TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' }).trustProxy, '127.0.0.1, 10.0.0.0/8')
  t.equal(loadConfig({ DATA_DIR: dataDir, TRUST_PROXY: 'true' }).trustProxy, true)
  t.equal(loadConfig({ DATA_DIR: dataDir, LIVE_STREAMS_PER_ADDRESS: '5', UPLOAD_TIMEOUT_MS: '600000' }).limits.liveStreamsPerAddress, 5)
  t.throws(() => loadConfig({ DATA_DIR: dataDir, LIVE_STREAMS_PER_ADDRESS: '0' }), /LIVE_STREAMS_PER_ADDRESS must be an integer of at least 1/)
  t.throws(() => loadConfig({ DATA_DIR: dataDir, LOGIN_FAILURES_PER_EMAIL: '3' }), /LOGIN_FAILURES_PER_EMAIL must be an integer of at least 10/)
})
