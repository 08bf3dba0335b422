/**
 * Load test of live streams (issue 24): `npm start` as a child process on loopback, one product with 100 events,
 * then 1,000 `GET /api/products/{id}/live` streams (50 per client address, through X-Forwarded-For and
 * TRUST_PROXY=127.0.0.1) and 5 writes to the product, while /health is asked every 5 ms from a thread of its own
 * (p50, p95, p99 while the streams open and while the writes fan out).
 *
 * Goals: /health p95 ≤ 100 ms while the streams are open and the writes fan out; the server's RSS grows by at
 * most 150 MB; every stream gets every event. Baseline: /health with no stream open, measured first in the same
 * run. Bounded: 1,000 streams, 5 writes, 60 s at most for the events to arrive. Writes bench/hostile/results.json.
 *
 *   npm run bench:live [-- --streams 1000 --writes 5 --cpu-prof DIR]   (DIR: the server's CPU profile)
 */
import { writeFile } from 'node:fs/promises'
import { loadavg } from 'node:os'
import { request } from 'node:http'
import { parseArgs } from 'node:util'
import { Worker } from 'node:worker_threads'
import { percentile } from '../lib/stats.ts'
import { ADMIN, startChild } from './child.ts'

const { values } = parseArgs({ options: { streams: { type: 'string', default: '1000' }, writes: { type: 'string', default: '5' }, events: { type: 'string', default: '100' }, 'cpu-prof': { type: 'string' } } })
const STREAMS = Number(values.streams)
const WRITES = Number(values.writes)
const EVENTS = Number(values.events)
/** The default cap per client address (LIVE_STREAMS_PER_ADDRESS). */
const PER_ADDRESS = 50
const DELIVERY_TIMEOUT_MS = 60_000

// The probe asks /health more often than the default per-address rate allows.
const serverEnv = { RATE_LIMIT: '1000000000' }
const profiling = values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] : []
const { base, rssMb: rss, api, login, stop: stopServer } = await startChild(serverEnv, profiling)
const rssMb = async () => (await rss()).now
const admin = await login(ADMIN.email, ADMIN.password)
const brand = await api('POST', '/api/auth/register', { email: 'brand@bench.test', password: 'brand-password', displayName: 'Bench brand', accountType: 'brand', brandName: 'Bench' })
await api('POST', `/api/admin/brands/${brand.userId}/verification`, { decision: 'approve' }, admin)
const brandToken = await login('brand@bench.test', 'brand-password')
const { productId } = await api('POST', '/api/products', { name: 'Bench jacket' }, brandToken)
const consent = (i: number) => api('PUT', `/api/ownership/${productId}/consent`, { visibility: i % 2 ? 'anonymous' : 'public' }, brandToken)
// ProductCreated and QrCodeIssued are two; consent changes make the rest.
for (let i = 2; i < EVENTS; i++) await consent(i)

/**
 * /health every 5 ms until stopped, from a thread of its own, so that the 1,000 streams this process reads do not
 * delay the probe's own event loop; each latency in ms. A probe starts on time whether or not the ones before have
 * been answered, so that a stall is sampled as often as the calm around it (a probe waiting for the one before
 * would sample a stall once); stopping waits for the probes in flight.
 */
function probeHealth(): { stop: () => Promise<number[]> } {
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads')
    const latencies = []
    const inFlight = new Set()
    const probe = () => {
      const started = performance.now()
      const answered = fetch(workerData + '/health')
        .then(async response => {
          await response.arrayBuffer()
          if (!response.ok) throw new Error('/health answered ' + response.status)
          latencies.push(performance.now() - started)
        })
        .catch(error => console.error(error.message))
        .finally(() => inFlight.delete(answered))
      inFlight.add(answered)
    }
    const every = setInterval(probe, 5)
    parentPort.once('message', async () => {
      clearInterval(every)
      await Promise.all(inFlight)
      parentPort.postMessage(latencies)
    })`,
    { eval: true, workerData: base },
  )
  return {
    stop: async () => {
      const latencies = new Promise<number[]>(resolve => worker.once('message', resolve))
      worker.postMessage('stop')
      const result = await latencies
      await worker.terminate()
      return result
    },
  }
}

const round = (value: number) => Math.round(value * 10) / 10
const summary = (latencies: number[]) => ({
  n: latencies.length,
  p50: round(percentile(latencies, 50)),
  p95: round(percentile(latencies, 95)),
  p99: round(percentile(latencies, 99)),
  max: round(Math.max(...latencies)),
})

const idle = probeHealth()
await new Promise(resolve => setTimeout(resolve, 3000))
const baseline = summary(await idle.stop())
const rssBefore = await rssMb()

interface Stream {
  status: number
  ids: string[]
  close(): void
}

function openStream(index: number): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const address = `10.${Math.floor(index / PER_ADDRESS / 250)}.${Math.floor(index / PER_ADDRESS) % 250}.1`
    const req = request(`${base}/api/products/${productId}/live`, { agent: false, headers: { 'x-forwarded-for': address } }, response => {
      const stream: Stream = { status: response.statusCode ?? 0, ids: [], close: () => req.destroy() }
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => {
        for (const match of chunk.matchAll(/^id: (\d+)$/gm)) stream.ids.push(match[1]!)
      })
      response.on('error', () => {})
      resolve(stream)
    })
    req.on('error', reject)
    req.end()
  })
}

const whileOpening = probeHealth()
const opening = performance.now()
const streams: Stream[] = []
for (let batch = 0; batch < STREAMS; batch += 100) {
  streams.push(...(await Promise.all(Array.from({ length: Math.min(100, STREAMS - batch) }, (_, i) => openStream(batch + i)))))
}
const openMs = performance.now() - opening
const opened = summary(await whileOpening.stop())
const refused = streams.filter(stream => stream.status !== 200).length
const rssOpen = await rssMb()

const busy = probeHealth()
const writing = performance.now()
const written: string[] = []
for (let write = 0; write < WRITES; write++) {
  written.push((await consent(EVENTS + write)).position)
  await new Promise(resolve => setTimeout(resolve, 250))
}
const everyEvent = () => streams.every(stream => written.every(position => stream.ids.includes(position)))
while (!everyEvent() && performance.now() - writing < DELIVERY_TIMEOUT_MS) await new Promise(resolve => setTimeout(resolve, 50))
const deliveredMs = performance.now() - writing
const during = summary(await busy.stop())
const rssAfter = await rssMb()
const complete = streams.filter(stream => written.every(position => stream.ids.includes(position))).length

const capProbe = await openStream(0)
capProbe.close()

for (const stream of streams) stream.close()
await stopServer()

const results = {
  date: new Date().toISOString(),
  streams: STREAMS,
  productEvents: EVENTS,
  writes: WRITES,
  refusedOnOpen: refused,
  openMs: round(openMs),
  loadAverage: loadavg().map(round),
  health: { baseline, opening: opened, during },
  healthP95Ratio: round(during.p95 / baseline.p95),
  rssMb: { before: round(rssBefore), open: round(rssOpen), after: round(rssAfter), growth: round(rssAfter - rssBefore) },
  streamsWithEveryEvent: complete,
  deliveredWithinMs: round(deliveredMs),
  oneMoreFromAFullAddress: capProbe.status,
  goals: {
    healthP95AtMost100ms: during.p95 <= 100,
    rssGrowthAtMost150Mb: rssAfter - rssBefore <= 150,
    everyStreamEveryEvent: complete === STREAMS,
  },
}
await writeFile(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`)
console.log(JSON.stringify(results, null, 2))
