/**
 * A webhook receiver on 127.0.0.1 for the specs: it keeps every request it got and answers each with the next of
 * the statuses it was given (the last one over and over), or never answers while `hang` is set.
 */
import { once } from 'node:events'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Webhook } from 'standardwebhooks'

export interface Received {
  headers: IncomingHttpHeaders
  body: string
}

export interface Receiver {
  url: string
  received: Received[]
  /** The statuses of the answers to come. */
  answer(...statuses: number[]): void
  hang: boolean
  /** Resolves once `count` requests have come in all. */
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>
  close(): Promise<void>
}

export async function startReceiver(t: { teardown(close: () => Promise<void>): void }, path = '/hook'): Promise<Receiver> {
  let statuses = [204]
  const received: Received[] = []
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', chunk => chunks.push(chunk))
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') })
      server.emit('received')
      if (receiver.hang) return
      const status = statuses.length > 1 ? statuses.shift()! : statuses[0]!
      response.writeHead(status, status >= 300 && status < 400 ? { location: 'http://127.0.0.1:9/elsewhere' } : {}).end()
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const receiver: Receiver = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    received,
    hang: false,
    answer: (...next) => {
      statuses = next
    },
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`the receiver got ${received.length} requests, not ${count}`)
        await Promise.race([once(server, 'received'), new Promise(resolve => setTimeout(resolve, 100))])
      }
      return received
    },
    close: async () => {
      server.closeAllConnections()
      server.close()
      await once(server, 'close')
    },
  }
  t.teardown(() => receiver.close())
  return receiver
}

/** The body of a request once its signature verified with the webhook's secret (throws otherwise), as the Standard Webhooks library does it. */
export const verified = (secret: string, { headers, body }: Received): unknown => new Webhook(secret).verify(body, headers as Record<string, string>)
