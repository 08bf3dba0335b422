/** Server-Sent Events as a browser's EventSource reads them: blocks split by a blank line, `id:` and `data:` fields. */
export interface SseMessage {
  id?: string
  data?: string
}

/** Yields each message that carries data; comments (heartbeats) and the `retry:` block are skipped. */
export async function* sseMessages(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder()
  let buffer = ''
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true })
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const message: SseMessage = {}
      for (const line of buffer.slice(0, end).split('\n')) {
        const [field, value] = [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).replace(/^ /, '')]
        if (field === 'id' || field === 'data') message[field] = value
      }
      buffer = buffer.slice(end + 2)
      if (message.data !== undefined) yield message
    }
  }
}
