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
