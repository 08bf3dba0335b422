/** Requests from the benchmark's own process (one at a time, keep-alive), timed on the client side. */
import { msSince } from './stats.ts'

export interface Timed {
  status: number
  ms: number
  headers: Headers
  body: string
}

export async function timed(url: string, init: RequestInit = {}): Promise<Timed> {
  const start = process.hrtime.bigint()
  const response = await fetch(url, init)
  const body = await response.text()
  return { status: response.status, ms: msSince(start), headers: response.headers, body }
}

export const json = (token?: string): Record<string, string> => ({
  'content-type': 'application/json',
  ...(token && { authorization: `Bearer ${token}` }),
})

/** POST /api/ownership/transfer from the owner holding `token` to `toUserId`; throws unless 200. */
export async function transfer(baseUrl: string, token: string, productId: string, toUserId: string) {
  const response = await timed(`${baseUrl}/api/ownership/transfer`, {
    method: 'POST',
    headers: json(token),
    body: JSON.stringify({ productId, toUserId }),
  })
  if (response.status !== 200) throw new Error(`transfer of ${productId} answered ${response.status}: ${response.body}`)
  const revision = Number(/"(\d+)"/.exec(response.headers.get('etag') ?? '')?.[1] ?? Number.NaN)
  return { ms: response.ms, position: (JSON.parse(response.body) as { position: string }).position, revision }
}

/** Fails the suite early, with the answer, when an endpoint it measures does not work (yet). */
export async function expectOk(url: string, init?: RequestInit): Promise<Timed> {
  const response = await timed(url, init)
  if (response.status < 200 || response.status >= 300) throw new Error(`${init?.method ?? 'GET'} ${url} answered ${response.status}: ${response.body.slice(0, 500)}`)
  return response
}

/** GETs every path once, `concurrency` at a time (e.g. to fill a cache before a load), and resolves with the seconds
 *  it took; throws on the first answer not 2xx. */
export async function getEach(baseUrl: string, paths: readonly string[], concurrency: number): Promise<number> {
  const start = Date.now()
  let next = 0
  const worker = async () => {
    while (next < paths.length) await expectOk(`${baseUrl}${paths[next++]!}`)
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, paths.length) }, worker))
  return (Date.now() - start) / 1000
}
