/**
 * Opens a live Server-Sent Events response in tests, over node:http with no keep-alive agent, so that closing
 * it leaves no socket behind to hold up the server's close.
 */
import { request } from 'node:http'
import type { IncomingHttpHeaders } from 'node:http'

export interface SseMessage {
  id?: string
  data?: string
  comment?: string
}

export interface SseClient {
  status: number
  headers: IncomingHttpHeaders
  /** The next `count` messages (comment lines too when asked), waiting as long as it takes. */
  next(count: number, options?: { comments?: boolean }): Promise<SseMessage[]>
  close(): void
}

const parse = (block: string): SseMessage => {
  const message: SseMessage = {}
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) message.comment = line.slice(1).trim()
    else if (line.startsWith('id: ')) message.id = line.slice(4)
    else if (line.startsWith('data: ')) message.data = line.slice(6)
  }
  return message
}

export function openSse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, agent: false }, response => {
      response.setEncoding('utf8')
      const chunks = response[Symbol.asyncIterator]() as AsyncIterator<string>
      let buffer = ''
      resolve({
        status: response.statusCode ?? 0,
        headers: response.headers,
        async next(count, { comments = false } = {}) {
          const messages: SseMessage[] = []
          while (messages.length < count) {
            const end = buffer.indexOf('\n\n')
            if (end < 0) {
              const { value, done } = await chunks.next()
              if (done) throw new Error(`the stream ended after ${messages.length} of ${count} messages`)
              buffer += value
              continue
            }
            const message = parse(buffer.slice(0, end))
            buffer = buffer.slice(end + 2)
            if (message.data !== undefined || (comments && message.comment !== undefined)) messages.push(message)
          }
          return messages
        },
        close: () => req.destroy(),
      })
    })
    req.on('error', reject)
    req.end()
  })
}
