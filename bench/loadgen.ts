/**
 * The HTTP load generator: autocannon's API in a process of its own (forked by lib/processes.ts), never in
 * the server's. It runs an unmeasured warm-up, then the measured load, and reports the second.
 */
import autocannon, { type Request, type Result } from 'autocannon'

export type Scenario =
  /** GETs of paths picked at random from the list (each request a fresh pick). */
  | { kind: 'get'; paths: string[]; headers?: Record<string, string> }
  /**
   * POST /api/ownership/transfer back and forth between `a` and `b`: each connection takes a product no other
   * connection holds, transfers it from its owner to the other user with the owner's token, then back, then
   * takes the next product. Owners are tracked from the answers, so every request is a valid transfer (also
   * across the warm-up and the measured run); a product left mid-way when a run stops is not taken again.
   */
  | { kind: 'transfer'; productIds: string[]; a: { userId: string; token: string }; b: { userId: string; token: string } }

export interface LoadSpec {
  url: string
  connections: number
  seconds: number
  warmupSeconds: number
  scenario: Scenario
}

export interface LoadResult {
  /** Mean of autocannon's per-second samples. */
  requestsPerSecond: number
  requests: number
  seconds: number
  /** Milliseconds, of the 2xx responses, at microsecond resolution. */
  latency: { mean: number; p50: number; p90: number; p99: number; max: number }
  non2xx: number
  errors: number
  timeouts: number
  statusCodes: Record<string, number>
  bytesPerSecond: number
}

function requestsOf(scenario: Scenario): Request[] {
  if (scenario.kind === 'get') {
    const { paths, headers = {} } = scenario
    return [{ method: 'GET', headers, setupRequest: request => ({ ...request, path: paths[Math.floor(Math.random() * paths.length)]! }) }]
  }
  return transfers(scenario)
}

type TransferScenario = Extract<Scenario, { kind: 'transfer' }>

/** Kept across runs (warm-up, then measured) of this process. */
const owners = new Map<string, string>()
const held = new Set<string>()
let nextProduct = 0

function transfers({ productIds, a, b }: TransferScenario): Request[] {
  const users = new Map([a, b].map(user => [user.userId, user]))
  for (const productId of productIds) if (!owners.has(productId)) owners.set(productId, a.userId)
  const take = (): string => {
    for (let tries = 0; tries < productIds.length; tries++) {
      const productId = productIds[nextProduct++ % productIds.length]!
      if (!held.has(productId)) {
        held.add(productId)
        return productId
      }
    }
    throw new Error('every product is held by a connection: give the transfer load more products than connections')
  }
  const post = (first: boolean): Request => ({
    method: 'POST',
    path: '/api/ownership/transfer',
    setupRequest: (request, context) => {
      if (first) context.productId = take()
      const productId = context.productId as string
      const from = users.get(owners.get(productId)!)!
      const to = from === a ? b : a
      return {
        ...request,
        headers: { authorization: `Bearer ${from.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ productId, toUserId: to.userId }),
      }
    },
    onResponse: (status, body, context) => {
      const productId = context.productId as string
      if (status === 200) owners.set(productId, (JSON.parse(body) as { ownerId: string }).ownerId)
      if (!first) held.delete(productId)
    },
  })
  return [post(true), post(false)]
}

/** Response times as autocannon measures them, kept as floats (its own histogram keeps whole milliseconds). */
class Latencies {
  private values = new Float64Array(1 << 16)
  length = 0

  add(ms: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2)
      grown.set(this.values)
      this.values = grown
    }
    this.values[this.length++] = ms
  }

  summary() {
    const sorted = this.values.slice(0, this.length).sort()
    const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN
    const mean = sorted.reduce((total, value) => total + value, 0) / sorted.length
    return { mean: round(mean), p50: round(at(50)), p90: round(at(90)), p99: round(at(99)), max: round(at(100)) }
  }
}

const round = (ms: number) => Math.round(ms * 1000) / 1000

async function run(spec: LoadSpec, seconds: number, latencies?: Latencies): Promise<Result> {
  const instance = autocannon({ url: spec.url, connections: spec.connections, duration: seconds, pipelining: 1, timeout: 30, requests: requestsOf(spec.scenario) })
  if (latencies) instance.on('response', (_client, statusCode, _bytes, ms) => statusCode < 300 && latencies.add(ms))
  return instance
}

async function measure(spec: LoadSpec): Promise<LoadResult> {
  if (spec.warmupSeconds > 0) await run(spec, spec.warmupSeconds)
  const latencies = new Latencies()
  const result = await run(spec, spec.seconds, latencies)
  return {
    requestsPerSecond: result.requests.average,
    requests: result.requests.total,
    seconds: result.duration,
    latency: latencies.summary(),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => [code, count])),
    bytesPerSecond: result.throughput.average,
  }
}

process.once('message', (message: { type: string; spec: LoadSpec }) => {
  measure(message.spec).then(
    result => process.send!({ type: 'done', result }, () => process.disconnect()),
    (error: Error) => process.send!({ type: 'error', message: error.message, stack: error.stack }, () => process.exit(1)),
  )
})
