/**
 * The service as deployed: command-api, query-api and projectors as three processes on the production adapters
 * of the native stack (the PostgreSQL event log, MongoDB, Redis, Kafka, S3). A passport's life goes through it:
 * writes to the command API, reads from the query API with x-min-position. Each run has its own databases and
 * topic, removed at the end.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { Redis } from 'ioredis'
import { Kafka } from 'kafkajs'
import { MongoClient } from 'mongodb'
import t from 'tap'
import { serverSettings } from '../adapters/testing/servers.ts'
import { freePort } from '../app/freePort.ts'
import { postgresDatabase } from '../eventlog/testing/postgresDatabase.ts'

const settings = serverSettings(t, ['POSTGRES_URL', 'REDIS_URL', 'KAFKA_BROKERS', 'MONGODB_URL', 'S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY', 'S3_REGION'])

const START_TIMEOUT_MS = 60_000
const STOP_TIMEOUT_MS = 15_000
const PINO_ERROR = 50
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64')

const redisServerInstalled = spawnSync('redis-server', ['--version']).status === 0

const listening = (port: number) =>
  new Promise<boolean>(resolve => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })

async function until(condition: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

interface Started {
  base: string
  /** What the process logged at error level. */
  errors: string[]
}

const running = new Set<ChildProcess>()

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return
  const exited = new Promise(resolve => child.once('exit', resolve))
  child.kill('SIGTERM')
  const killer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
  await exited
  clearTimeout(killer)
}

const logEntry = (line: string): { level?: unknown; msg?: string } => {
  try {
    return JSON.parse(line)
  } catch {
    return {}
  }
}

/** Spawns an entry point with tsx and resolves with its address once it listens. */
function start(entry: string, env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { ...process.env, ...env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.add(child)
  const errors: string[] = []
  const stderr: string[] = []
  createInterface({ input: child.stderr }).on('line', line => stderr.push(line))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS)
    child.once('exit', () => reject(new Error(`${entry} exited before listening:\n${stderr.join('\n')}`)))
    createInterface({ input: child.stdout }).on('line', line => {
      const { level, msg } = logEntry(line)
      if (typeof level === 'number' && level >= PINO_ERROR) errors.push(`${entry}: ${line}`)
      const address = /^Server listening at (http:\/\/127\.0\.0\.1:\d+)$/.exec(msg ?? '')?.[1]
      if (address) {
        clearTimeout(timer)
        resolve({ base: address, errors })
      }
    })
  })
}

if (settings) {
  const run = randomUUID().slice(0, 8)
  const admin = { ADMIN_EMAIL: `admin-${run}@example.test`, ADMIN_PASSWORD: 'admin-password-1' }
  const mongodbUrl = new URL(settings.MONGODB_URL)
  mongodbUrl.pathname = `/ptvem_e2e_${run}`
  const topic = `ptvem-e2e-${run}`
  const dataDir = await mkdtemp(join(tmpdir(), 'ptvem-production-'))
  const postgresUrl = await postgresDatabase(t, settings.POSTGRES_URL, 'e2e')
  const env = { ...settings, EVENTSTORE_URL: '', POSTGRES_URL: postgresUrl, MONGODB_URL: mongodbUrl.href, KAFKA_TOPIC: topic, DATA_DIR: dataDir, PUBLIC_BASE_URL: 'https://id.ptvem.test', RATE_LIMIT_AUTH: '10000', ...admin }

  const redis = new Redis(settings.REDIS_URL)
  const mongo = await MongoClient.connect(mongodbUrl.href)
  t.teardown(async () => {
    await mongo.db().dropDatabase()
    await mongo.close()
    await redis.quit()
    const admin = new Kafka({ brokers: settings.KAFKA_BROKERS.split(',') }).admin()
    await admin.connect()
    await admin.deleteTopics({ topics: [topic] }).catch(() => {})
    await admin.disconnect()
    await rm(dataDir, { recursive: true, force: true })
  })
  // Teardowns run last first: the processes stop before their database and topic go.
  t.teardown(() => Promise.all([...running].map(stop)))

  // Started together: they agree on the secrets generated in the shared DATA_DIR.
  const [commands, queries, projectors] = await Promise.all([start('command-api/main.ts', env), start('query-api/main.ts', env), start('projectors/main.ts', env)])

  let seen = 0
  const request = async (base: string, method: string, path: string, { token, body }: { token?: string; body?: unknown } = {}) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(token && { authorization: `Bearer ${token}` }),
        ...(body !== undefined && !(body instanceof FormData) && { 'content-type': 'application/json' }),
        ...(method === 'GET' && { 'x-min-position': String(seen) }),
      },
      body: body instanceof FormData ? body : body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await response.text()
    const json = response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined
    if (typeof json?.position === 'string') seen = Math.max(seen, Number(json.position))
    return { status: response.status, json, text, response }
  }
  const write = (path: string, token: string | undefined, body: unknown, method = 'POST') => request(commands.base, method, path, { token, body })
  const read = (path: string, token?: string) => request(queries.base, 'GET', path, { token })

  const person = async (displayName: string, brandName?: string) => {
    const email = `${displayName.toLowerCase()}-${run}@example.test`
    const password = `${displayName}-password-1`
    const registered = await write('/api/auth/register', undefined, { email, password, displayName, ...(brandName && { accountType: 'brand', brandName }) })
    if (registered.status !== 201) throw new Error(`register ${displayName}: ${registered.status} ${registered.text}`)
    if (brandName) {
      // A brand issues once an admin has verified it.
      const adminToken = (await write('/api/auth/login', undefined, { email: admin.ADMIN_EMAIL, password: admin.ADMIN_PASSWORD })).json.accessToken as string
      const verified = await write(`/api/admin/brands/${registered.json.userId}/verification`, adminToken, { decision: 'approve' })
      if (verified.status !== 200) throw new Error(`verify ${brandName}: ${verified.status} ${verified.text}`)
    }
    const { accessToken } = (await write('/api/auth/login', undefined, { email, password })).json
    return { userId: registered.json.userId as string, token: accessToken as string }
  }

  t.test('each process is ready on the production adapters', async t => {
    const implementations = { eventLog: 'postgresql', readModels: 'mongodb', keys: 'mongodb', cache: 'redis', media: 's3', bus: 'kafka' }
    for (const { base } of [commands, queries, projectors]) {
      const ready = await request(base, 'GET', '/ready')
      t.equal(ready.status, 200, ready.text)
      for (const [port, implementation] of Object.entries(implementations)) t.match(ready.json.services[port], { status: 'up', implementation })
    }
  })

  t.test("a passport's life across the three processes", async t => {
    const [brand, alice, bob] = [await person('Brand', 'Maison Verte'), await person('Alice'), await person('Bob')]

    const created = await write('/api/products', brand.token, { name: 'Camp shirt', originalPrice: { amount: 20_000, currency: 'EUR' } })
    t.equal(created.status, 201, created.text)
    const { productId, qrCode } = created.json
    const scanned = await read(`/api/products/${qrCode}`)
    t.match(scanned.json, { productId, name: 'Camp shirt', brand: 'Maison Verte', authenticity: { status: 'authentic' } })

    t.equal((await write('/api/ownership/transfer', brand.token, { productId, toUserId: alice.userId })).status, 200)
    const listed = await write('/api/resale/listings', alice.token, { productId, price: { amount: 15_000, currency: 'EUR' }, condition: 'good' })
    t.equal(listed.status, 201, listed.text)
    const { listingId } = listed.json
    const listings = await read('/api/resale/listings?brand=Maison%20Verte')
    t.same(listings.json.items.map((item: { listingId: string }) => item.listingId), [listingId])

    const reserved = await write('/api/resale/transactions', bob.token, { listingId })
    t.equal(reserved.status, 201, reserved.text)
    const confirmed = await write(`/api/resale/transactions/${reserved.json.transactionId}/confirm`, bob.token, { paymentReference: 'psp-1' })
    t.match(confirmed.json, { status: 'completed' })

    const details = await read(`/api/products/${productId}/details`)
    t.match(details.json, { productId, ownerCount: 3, activeListing: null, currentOwner: { displayName: 'Bob' } })
    const owners = (await read(`/api/ownership/${productId}/history`)).json.owners
    t.same(owners.map((owner: { via: string }) => owner.via), ['creation', 'transfer', 'resale'])
    const history = (await read(`/api/products/${productId}/history`)).json
    t.same(
      history.events.map((event: { type: string }) => event.type),
      ['BrandVerified', 'ProductCreated', 'QrCodeIssued', 'OwnershipTransferred', 'ProductListed', 'ListingReserved', 'ProductSold', 'OwnershipTransferred'],
      'the brand’s verification, then the product’s own events',
    )

    // Notifications reach the inbox through Kafka: publisher, topic, consumer group.
    const inboxTypes = async () => (await read('/api/notifications', alice.token)).json.items.map((item: { type: string }) => item.type)
    let types = await inboxTypes()
    for (const deadline = Date.now() + 10_000; types.length < 3 && Date.now() < deadline; types = await inboxTypes()) await sleep(200)
    t.same(types, ['listing_sold', 'listing_reserved', 'product_received'])

    t.ok(await mongo.db().collection('rm_products').findOne({ _id: productId as never }), 'the read models are in MongoDB')
    t.equal(await redis.get(`ptvem:qr:${qrCode}`), productId, 'the QR look-up is cached in Redis')
  })

  t.test('media written through the command API are served by the query API from S3', async t => {
    const uploader = await person('Carol')
    const form = new FormData()
    form.append('file', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), 'photo.png')
    const uploaded = await write('/api/media', uploader.token, form)
    t.equal(uploaded.status, 201, uploaded.text)
    const served = await read(`/api/media/${uploaded.json.mediaId}`, uploader.token)
    t.equal(served.status, 200)
    t.match(served.response.url, new URL(settings.S3_ENDPOINT).host, 'redirected to a signed S3 URL')
  })

  t.test('a query API whose Redis is gone still answers, and says so in /ready', { skip: !redisServerInstalled && 'redis-server is not installed' }, async t => {
    const port = await freePort('127.0.0.1')
    const redisServer = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
    const redisGone = new Promise(resolve => redisServer.once('exit', resolve))
    t.teardown(() => void redisServer.kill())
    await until(() => listening(port))
    const alone = await start('query-api/main.ts', { ...env, REDIS_URL: `redis://127.0.0.1:${port}` })
    const brand = await person('Dora', 'Atelier Dora')
    const { qrCode } = (await write('/api/products', brand.token, { name: 'Scarf' })).json
    const scan = () => request(alone.base, 'GET', `/api/products/${qrCode}`, { token: brand.token })
    const expected = { name: 'Scarf', brand: 'Atelier Dora', authenticity: { status: 'authentic' } }
    t.match((await scan()).json, expected)

    redisServer.kill()
    await redisGone
    const degraded = await scan()
    t.equal(degraded.status, 200)
    t.match(degraded.json, expected)
    const ready = await request(alone.base, 'GET', '/ready')
    t.equal(ready.status, 200, 'the cache is not required')
    t.match(ready.json, { status: 'ready', services: { cache: { status: 'down', implementation: 'redis', required: false }, readModels: { status: 'up' } } })
    t.same(alone.errors, [])
  })

  t.test('no process logged an error', async t => {
    t.same([...commands.errors, ...queries.errors, ...projectors.errors], [])
  })
}
