/** Reads a live Server-Sent Events response in tests. */
export interface SseMessage {
  id?: string
  data?: string
  comment?: string
}

export interface SseReader {
  /** The next `count` messages (comments included when asked), waiting as long as needed. */
  next(count: number, options?: { comments?: boolean }): Promise<SseMessage[]>
}

export function sseReader(body: ReadableStream<Uint8Array>): SseReader {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  const parse = (block: string): SseMessage => {
    const message: SseMessage = {}
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) message.comment = line.slice(1).trim()
      else if (line.startsWith('id: ')) message.id = line.slice(4)
      else if (line.startsWith('data: ')) message.data = line.slice(6)
    }
    return message
  }
  return {
    async next(count, { comments = false } = {}) {
      const messages: SseMessage[] = []
      while (messages.length < count) {
        const end = buffer.indexOf('\n\n')
        if (end < 0) {
          const { value, done } = await reader.read()
          if (done) throw new Error(`the stream ended after ${messages.length} of ${count} messages`)
          buffer += decoder.decode(value, { stream: true })
          continue
        }
        const message = parse(buffer.slice(0, end))
        buffer = buffer.slice(end + 2)
        if (message.data !== undefined || (comments && message.comment !== undefined)) messages.push(message)
      }
      return messages
    },
  }
}
