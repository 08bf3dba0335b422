// What the stack's clients (wait.mjs, smoke.mjs) share: the services' addresses, as env.sh prints them
// unless the environment already says otherwise, the S3 client settings, and a bound on any single attempt.
import { setTimeout as sleep } from 'node:timers/promises'
import { S3Client } from '@aws-sdk/client-s3'

export const stackEnv = {
  REDIS_URL: 'redis://127.0.0.1:6379',
  KAFKA_BROKERS: '127.0.0.1:9092',
  POSTGRES_URL: 'postgres://ptvem@127.0.0.1:5432/ptvem',
  MONGODB_URL: 'mongodb://127.0.0.1:27017/ptvem',
  S3_ENDPOINT: 'http://127.0.0.1:9000',
  S3_BUCKET: 'ptvem-media',
  S3_ACCESS_KEY_ID: 'ptvem-local',
  S3_SECRET_ACCESS_KEY: 'ptvem-local-secret',
  S3_REGION: 'us-east-1',
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => /^(REDIS_|KAFKA_|POSTGRES_|MONGODB_|S3_)/.test(k))),
}

/** Whatever the client does with its own timeouts. */
export const within = (ms, promise, what) =>
  Promise.race([promise, sleep(ms).then(() => { throw new Error(`${what}: no answer within ${ms} ms`) })])

/** S3-compatible servers need path-style URLs and no default CRC32 checksums. */
export const s3Client = (extra = {}) =>
  new S3Client({
    endpoint: stackEnv.S3_ENDPOINT,
    region: stackEnv.S3_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: stackEnv.S3_ACCESS_KEY_ID, secretAccessKey: stackEnv.S3_SECRET_ACCESS_KEY },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...extra,
  })
