/**
 * The walker's HTTP client: requests written as API.md writes them (`'POST /api/products'`), made with fetch
 * against the real server. Like a good SDK it remembers the log position of the last write it saw and
 * sends it as `x-min-position` on every read, so each step reads its own writes.
 *
 * - `send` answers with whatever came back, for the steps that inspect headers, HTML, images or streams.
 * - `call` asserts the success status and a JSON body (nothing on a 204), and returns the body.
 * - `refused` asserts an RFC 9457 problem with the expected status, and returns it.
 * - `listen` opens a Server-Sent Events stream and reads it message by message.
 */
import type { Test } from 'tap'
import { sseMessages, type SseMessage } from './sse.ts'

export interface Person {
  userId: string
  token: string
  email: string
  password: string
  displayName: string
}

export interface Call {
  /** The caller: a person, or a raw token. */
  as?: Person | string
  /** JSON, or FormData for multipart. */
  body?: unknown
  /** A body sent as it is, with the content-type given in `headers`: what no client library would produce. */
  raw?: string
  headers?: Record<string, string>
  /** `manual` to see a redirect rather than follow it. */
  redirect?: RequestRedirect
  /** A bound on the whole exchange: past it, the request is aborted and `send` rejects. */
  timeoutMs?: number
}

export interface Reply {
  /** `POST /api/products`, for messages. */
  route: string
  status: number
  headers: Headers
  contentType: string
  text: string
  bytes: Buffer
  /** The parsed body when it is JSON, else undefined. */
  json: any
}

export interface LiveStream {
  status: number
  contentType: string
  /** The next `count` messages; rejects when they do not come within LIVE_WAIT_MS. */
  next(count: number): Promise<SseMessage[]>
  close(): void
}

export interface Problem {
  type: string
  title: string
  status: number
  detail: string
  instance?: string
  errors?: { path: string; message: string }[]
}

const READS = new Set(['GET', 'HEAD'])
const LIVE_WAIT_MS = 5000

/** The JSON of a body that claims to be JSON; undefined when it is not, for the assertions to report. */
function parsed(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** A route as messages name it: very long ones are cut. */
const shortened = (route: string) => (route.length > 160 ? `${route.slice(0, 150)}…(${route.length} chars)` : route)

export class Client {
  /** The highest log position a write answered with. */
  seen = 0

  constructor(readonly base: string) {}

  #fetch(route: string, { as, body, raw, headers = {}, redirect, timeoutMs }: Call, signal?: AbortSignal): Promise<Response> {
    const [method, path] = route.split(' ') as [string, string]
    const token = typeof as === 'string' ? as : as?.token
    const json = body !== undefined && !(body instanceof FormData)
    return fetch(`${this.base}${path}`, {
      method,
      signal: signal ?? (timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs)),
      redirect,
      headers: {
        ...(token && { authorization: `Bearer ${token}` }),
        ...(json && { 'content-type': 'application/json' }),
        ...(READS.has(method) && this.seen > 0 && { 'x-min-position': String(this.seen) }),
        ...headers,
      },
      body: raw ?? (body instanceof FormData ? body : json ? JSON.stringify(body) : undefined),
    })
  }

  async send(route: string, request: Call = {}): Promise<Reply> {
    const method = route.split(' ')[0]!
    const response = await this.#fetch(route, request)
    const bytes = Buffer.from(await response.arrayBuffer())
    const text = bytes.toString('utf8')
    const contentType = response.headers.get('content-type') ?? ''
    const reply: Reply = { route: shortened(route), status: response.status, headers: response.headers, contentType, text, bytes, json: undefined }
    if (/json/.test(contentType)) reply.json = parsed(text)
    const position = reply.json?.position
    if (!READS.has(method) && typeof position === 'string' && /^\d+$/.test(position)) this.seen = Math.max(this.seen, Number(position))
    return reply
  }

  async listen(route: string, request: Call = {}): Promise<LiveStream> {
    const stopped = new AbortController()
    const response = await this.#fetch(route, request, stopped.signal)
    const messages = response.body ? sseMessages(response.body) : null
    const take = async (count: number) => {
      const taken: SseMessage[] = []
      while (taken.length < count) {
        const next = await messages?.next()
        if (!next || next.done) throw new Error(`${route}: the stream ended after ${taken.length} of ${count} message(s)`)
        taken.push(next.value)
      }
      return taken
    }
    const next = async (count: number) => {
      let timer: NodeJS.Timeout | undefined
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${route}: no ${count} message(s) within ${LIVE_WAIT_MS} ms`)), LIVE_WAIT_MS)
      })
      try {
        return await Promise.race([take(count), late])
      } finally {
        clearTimeout(timer)
      }
    }
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', next, close: () => stopped.abort() }
  }

  /** The JSON body of a success; the assertion names the route and shows the body when the status is wrong. */
  async call(t: Test, route: string, request: Call = {}, status = 200): Promise<any> {
    const reply = await this.send(route, request)
    expectStatus(t, reply, status)
    if (status === 204) t.equal(reply.text, '', `${route}: 204 has no body`)
    else t.match(reply.contentType, /^application\/json/, `${route}: JSON`)
    return reply.json ?? {}
  }

  /** The problem+json of a refusal with one of the given statuses. */
  async refused(t: Test, route: string, request: Call, status: number | number[]): Promise<Problem> {
    return expectProblem(t, await this.send(route, request), status)
  }
}

export function expectStatus(t: Test, reply: Reply, status: number | number[]): void {
  const statuses = [status].flat()
  t.ok(statuses.includes(reply.status), `${reply.route} → ${statuses.join(' or ')}`, {
    found: reply.status,
    wanted: statuses.join(' or '),
    body: reply.text.slice(0, 500),
  })
}

export function expectProblem(t: Test, reply: Reply, status: number | number[]): Problem {
  expectStatus(t, reply, status)
  t.match(reply.contentType, /^application\/problem\+json/, `${reply.route}: problem+json`)
  const problem = (reply.json ?? {}) as Problem
  t.match(problem, { type: String, title: String, status: reply.status, detail: String }, `${reply.route}: problem details`)
  return problem
}

/** Polls `read` until `done` holds (for reads after a write that answers without a position, a 204). */
export async function eventually(
  read: () => Promise<Reply>,
  done: (reply: Reply) => boolean,
  { timeoutMs = 3000, intervalMs = 50 } = {},
): Promise<Reply> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const reply = await read()
    if (done(reply) || Date.now() > until) return reply
    await new Promise(resolve => setTimeout(resolve, intervalMs))
  }
}
