// Readiness check for the native stack (scripts/stack/up.sh), with the clients the app itself uses:
// ioredis PING, kafkajs admin listTopics (+ group coordinator), pg SELECT on the event log's database, mongodb ping,
// S3 ListBuckets (and CreateBucket of S3_BUCKET when it is missing). Reads the same environment that
// scripts/stack/env.sh prints (defaults: the same).
//
//   node scripts/stack/wait.mjs [--timeout SECONDS] [--once] [--only redis,kafka,postgres,mongodb,s3]
//
// Waits are bounded: a service that does not answer in time, or whose process (pid file under .stack/)
// died, fails with its last error and the tail of its log. Exit code 0 only when all answered.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import { s3Client, stackEnv as env, within } from './stackEnv.mjs'
import Redis from 'ioredis'
import kafkajs from 'kafkajs'
import { MongoClient } from 'mongodb'
import pg from 'pg'
import { ListBucketsCommand, CreateBucketCommand } from '@aws-sdk/client-s3'

const { Kafka, logLevel } = kafkajs

// The AWS SDK warns once per process that its 2027 releases will need Node 22; not this script's news.
const emitWarning = process.emitWarning
process.emitWarning = (warning, ...rest) =>
  String(warning?.message ?? warning).startsWith('NodeVersionSupportWarning') ? undefined : emitWarning.call(process, warning, ...rest)
const here = path.dirname(fileURLToPath(import.meta.url))
const stackDir = process.env.PTVEM_STACK_DIR ?? path.resolve(here, '../../.stack')

const args = process.argv.slice(2)
const option = name => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}
const timeoutMs = Number(option('--timeout') ?? 120) * 1000
const once = args.includes('--once')
const only = option('--only')?.split(',')



const checks = {
  async redis () {
    const client = new Redis(env.REDIS_URL, {
      lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false
    })
    client.on('error', () => {})
    try {
      await client.connect()
      const pong = await client.ping()
      if (pong !== 'PONG') throw new Error(`PING answered ${pong}`)
      const version = /redis_version:(\S+)/.exec(await client.info('server'))?.[1]
      return `PING → PONG (redis ${version})`
    } finally {
      client.disconnect()
    }
  },

  async kafka () {
    const kafka = new Kafka({
      clientId: 'ptvem-stack-wait',
      brokers: env.KAFKA_BROKERS.split(','),
      logLevel: logLevel.NOTHING,
      connectionTimeout: 2000,
      requestTimeout: 5000,
      retry: { retries: 0 }
    })
    const admin = kafka.admin()
    try {
      await admin.connect()
      const cluster = await admin.describeCluster()
      const topics = await admin.listTopics()
      // Consumer groups need the group coordinator, which a fresh cluster only has once it has created
      // __consumer_offsets (on the first FindCoordinator): ask for it here, so tests don't meet that.
      await admin.describeGroups(['ptvem-stack-readiness'])
      return `listTopics → ${topics.length} topic(s), ${cluster.brokers.length} broker(s), controller ${cluster.controller}, group coordinator up`
    } finally {
      await admin.disconnect().catch(() => {})
    }
  },

  async postgres () {
    const client = new pg.Client({ connectionString: env.POSTGRES_URL, connectionTimeoutMillis: 2000 })
    client.on('error', () => {})
    try {
      await client.connect()
      const { rows: [{ version }] } = await client.query("SELECT current_setting('server_version') AS version")
      return `SELECT → ok (PostgreSQL ${version}, database ${client.database})`
    } finally {
      await client.end().catch(() => {})
    }
  },

  async mongodb () {
    const client = new MongoClient(env.MONGODB_URL, { serverSelectionTimeoutMS: 2000, connectTimeoutMS: 2000 })
    try {
      await client.connect()
      await client.db().command({ ping: 1 })
      const hello = await client.db().admin().command({ hello: 1 })
      const info = await client.db().admin().command({ buildInfo: 1 })
      const ferret = info.ferretdbVersion ? `, FerretDB ${info.ferretdbVersion}` : ''
      return `ping → ok (reports MongoDB ${info.version}${ferret}, wire ${hello.minWireVersion}-${hello.maxWireVersion})`
    } finally {
      await client.close().catch(() => {})
    }
  },

  async s3 () {
    const s3 = s3Client({ maxAttempts: 1, requestHandler: { connectionTimeout: 2000, requestTimeout: 5000 } })
    try {
      const { Buckets = [] } = await s3.send(new ListBucketsCommand({}))
      if (Buckets.some(b => b.Name === env.S3_BUCKET)) return `ListBuckets → ${env.S3_BUCKET} present`
      try {
        await s3.send(new CreateBucketCommand({ Bucket: env.S3_BUCKET }))
      } catch (err) {
        if (err.name !== 'BucketAlreadyOwnedByYou' && err.name !== 'BucketAlreadyExists') throw err
      }
      return `ListBuckets → ok, bucket ${env.S3_BUCKET} created`
    } finally {
      s3.destroy()
    }
  }
}

// Where each service's process and log live under .stack/, and what it listens on.
const services = {
  redis: { dir: 'redis', where: env.REDIS_URL },
  kafka: { dir: 'kafka', where: env.KAFKA_BROKERS },
  postgres: { dir: 'postgres', where: env.POSTGRES_URL },
  mongodb: { dir: 'ferretdb', where: env.MONGODB_URL, label: 'mongodb (FerretDB)' },
  s3: { dir: 's3proxy', where: env.S3_ENDPOINT, label: 's3 (s3proxy)' }
}

function processState (svc) {
  const pidFile = path.join(stackDir, svc.dir, `${svc.dir}.pid`)
  if (!existsSync(pidFile)) return 'unknown'
  const pid = Number(readFileSync(pidFile, 'utf8').trim())
  if (!pid) return 'unknown'
  try {
    process.kill(pid, 0)
    return 'alive'
  } catch {
    return 'dead'
  }
}

function logTail (svc, lines = 40) {
  const file = path.join(stackDir, svc.dir, `${svc.dir}.log`)
  if (!existsSync(file)) return `  (no log at ${file})`
  const tail = readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines)
  return [`  ----- last ${tail.length} lines of ${file} -----`, ...tail.map(l => `  ${l}`), '  -----'].join('\n')
}

const errText = err => {
  const text = err?.message || err?.name || String(err)
  return err?.cause?.message && !text.includes(err.cause.message) ? `${text} (${err.cause.message})` : text
}

async function waitFor (name) {
  const svc = services[name]
  const label = svc.label ?? name
  const started = Date.now()
  let lastError
  for (let attempt = 1; ; attempt++) {
    const state = processState(svc)
    try {
      const detail = await within(10_000, checks[name](), name)
      console.log(`[wait] ${label} ready in ${((Date.now() - started) / 1000).toFixed(1)}s: ${detail}`)
      return true
    } catch (err) {
      lastError = err
    }
    const reason =
      state === 'dead' ? 'its process exited'
        : once ? 'it does not answer'
          : Date.now() - started >= timeoutMs ? `it did not answer within ${timeoutMs / 1000}s`
            : undefined
    if (reason) {
      const whose = state === 'unknown' ? ' (no process started by up.sh is recorded for it: is something else on that port?)' : ''
      console.error(`[wait] ${label} at ${svc.where} FAILED: ${reason}${whose}; last error: ${errText(lastError)} (after ${attempt} attempt(s))`)
      if (!once || state === 'dead') console.error(logTail(svc))
      return false
    }
    await sleep(Math.min(250 * attempt, 1000))
  }
}

const names = only ?? Object.keys(services)
for (const n of names) if (!services[n]) throw new Error(`unknown service ${n}; known: ${Object.keys(services).join(', ')}`)
const results = await Promise.all(names.map(waitFor))
const failed = names.filter((_, i) => !results[i])
if (failed.length) {
  console.error(`[wait] not ready: ${failed.join(', ')}`)
  process.exit(1)
}
// Clients can leave sockets or timers behind; readiness is decided, so leave now.
process.exit(0)
