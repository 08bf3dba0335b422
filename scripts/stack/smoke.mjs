// Real round trips against the running native stack (scripts/stack/up.sh --verify runs this):
// Redis SET/GET, Kafka create topic + produce + consume in a group, PostgreSQL a transaction and a
// LISTEN/NOTIFY round trip, MongoDB insert/find, S3 put/get and a presigned GET fetched over plain HTTP.
// Uses the environment env.sh prints. Leaves nothing behind: the Kafka topic is deleted at the end, the
// PostgreSQL table is a temporary one, and no S3 object or document is left.
import { randomUUID } from 'node:crypto'
import { s3Client, stackEnv as env, within } from './stackEnv.mjs'
import Redis from 'ioredis'
import kafkajs from 'kafkajs'
import { MongoClient } from 'mongodb'
import pg from 'pg'
import { PutObjectCommand, GetObjectCommand, DeleteObjectCommand } from '@aws-sdk/client-s3'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'

const { Kafka, logLevel } = kafkajs

// The AWS SDK warns once per process that its 2027 releases will need Node 22; not this script's news.
const emitWarning = process.emitWarning
process.emitWarning = (warning, ...rest) =>
  String(warning?.message ?? warning).startsWith('NodeVersionSupportWarning') ? undefined : emitWarning.call(process, warning, ...rest)
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1'
const id = randomUUID()
const assert = (ok, what) => { if (!ok) throw new Error(`assertion failed: ${what}`) }

async function redis () {
  const client = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 1 })
  try {
    await client.set(`ptvem:smoke:${id}`, 'ok', 'EX', 30)
    assert((await client.get(`ptvem:smoke:${id}`)) === 'ok', 'GET returns what SET stored')
    await client.del(`ptvem:smoke:${id}`)
    return 'SET/GET/DEL'
  } finally {
    client.disconnect()
  }
}

async function kafka () {
  const k = new Kafka({ clientId: 'ptvem-stack-smoke', brokers: env.KAFKA_BROKERS.split(','), logLevel: logLevel.WARN })
  const topic = `ptvem-smoke-${id}`
  const admin = k.admin()
  const producer = k.producer({ allowAutoTopicCreation: false })
  const consumer = k.consumer({ groupId: `ptvem-smoke-${id}` })
  await admin.connect()
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true })
    await producer.connect()
    await producer.send({ topic, acks: -1, messages: [{ key: id, value: JSON.stringify({ id }) }] })
    await consumer.connect()
    await consumer.subscribe({ topic, fromBeginning: true })
    const received = await within(30_000, new Promise((resolve, reject) => {
      consumer.run({ eachMessage: async ({ message }) => resolve(message) }).catch(reject)
    }), 'kafka consume')
    assert(received.key.toString() === id, 'consumed the produced message')
    return `createTopics/send/consume in a group (${topic})`
  } finally {
    await consumer.disconnect().catch(() => {})
    await producer.disconnect().catch(() => {})
    await admin.deleteTopics({ topics: [topic] }).catch(() => {})
    await admin.disconnect().catch(() => {})
  }
}

async function postgres () {
  const [writer, listener] = [new pg.Client(env.POSTGRES_URL), new pg.Client(env.POSTGRES_URL)]
  try {
    await Promise.all([writer.connect(), listener.connect()])
    const channel = `ptvem_smoke_${id.replaceAll('-', '')}`
    await listener.query(`LISTEN ${channel}`)
    const notified = new Promise(resolve => listener.on('notification', message => resolve(message.payload)))
    await writer.query('BEGIN')
    await writer.query('CREATE TEMPORARY TABLE smoke (id text PRIMARY KEY, n integer) ON COMMIT DROP')
    await writer.query('INSERT INTO smoke VALUES ($1, 1)', [id])
    const { rows } = await writer.query('UPDATE smoke SET n = n + 1 WHERE id = $1 RETURNING n', [id])
    assert(rows[0]?.n === 2, 'UPDATE … RETURNING sees the inserted row')
    await writer.query('SELECT pg_notify($1, $2)', [channel, id])
    await writer.query('COMMIT')
    assert((await within(10_000, notified, 'postgres notification')) === id, 'the listener gets the payload at commit')
    return 'a transaction (temporary table, INSERT, UPDATE … RETURNING) and LISTEN/NOTIFY'
  } finally {
    await Promise.all([writer.end(), listener.end()].map(ended => ended.catch(() => {})))
  }
}

async function mongodb () {
  const client = new MongoClient(env.MONGODB_URL, { serverSelectionTimeoutMS: 5000 })
  try {
    await client.connect()
    const col = client.db().collection('stack_smoke')
    await col.insertOne({ _id: id, n: 1, tags: ['a', 'b'], at: new Date() })
    await col.updateOne({ _id: id }, { $inc: { n: 1 } })
    const doc = await col.findOne({ _id: id, tags: 'b' })
    assert(doc?.n === 2, 'findOne returns the updated document')
    const many = await col.find({ n: { $gte: 2 } }).sort({ n: -1 }).limit(5).toArray()
    assert(many.some(d => d._id === id), 'find with a filter and sort returns it')
    await col.deleteOne({ _id: id })
    return 'insertOne/updateOne/findOne/find/deleteOne'
  } finally {
    await client.close()
  }
}

async function s3 () {
  const s3 = s3Client()
  const Key = `smoke/${id}.txt`
  const body = `hello ${id}`
  try {
    await s3.send(new PutObjectCommand({ Bucket: env.S3_BUCKET, Key, Body: body, ContentType: 'text/plain' }))
    const got = await s3.send(new GetObjectCommand({ Bucket: env.S3_BUCKET, Key }))
    assert((await got.Body.transformToString()) === body, 'GetObject returns the body')
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: env.S3_BUCKET, Key }), { expiresIn: 60 })
    const res = await fetch(url)
    assert(res.ok && (await res.text()) === body, `presigned GET answers the body (HTTP ${res.status})`)
    const bad = await fetch(url.replace(/X-Amz-Signature=[0-9a-f]+/, 'X-Amz-Signature=' + '0'.repeat(64)))
    assert(bad.status === 403, `a tampered presigned URL is refused (HTTP ${bad.status})`)
    await s3.send(new DeleteObjectCommand({ Bucket: env.S3_BUCKET, Key }))
    return 'PutObject/GetObject/presigned GET/tampered URL refused/DeleteObject'
  } finally {
    s3.destroy()
  }
}

let failed = 0
for (const [name, run] of Object.entries({ redis, kafka, postgres, mongodb, s3 })) {
  const t = Date.now()
  try {
    const what = await within(60_000, run(), name)
    console.log(`[smoke] ${name}: ok in ${Date.now() - t} ms: ${what}`)
  } catch (err) {
    failed++
    console.error(`[smoke] ${name}: FAILED: ${err?.stack ?? err}`)
  }
}
process.exit(failed ? 1 : 0)
