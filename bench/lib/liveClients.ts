/** Live SSE clients held open from the bench's own process: they read what comes and otherwise idle. */
import { request, type ClientRequest } from 'node:http'

export interface LiveClients {
  /** Streams the server answered 200. */
  opened: number
  /** Of those, streams still open. */
  stillOpen(): number
  close(): void
}

/** Opens `count` streams, spread over `paths` in turn, 100 at a time. */
export async function openLiveClients(url: string, paths: readonly string[], count: number): Promise<LiveClients> {
  const requests: ClientRequest[] = []
  let open = 0
  const openOne = (path: string) =>
    new Promise<boolean>(resolve => {
      const req = request(`${url}${path}`, { agent: false }, response => {
        const ok = response.statusCode === 200
        if (ok) {
          open++
          response.once('close', () => open--)
        }
        response.on('data', () => {})
        response.on('error', () => {})
        resolve(ok)
      })
      req.on('error', () => resolve(false))
      requests.push(req)
      req.end()
    })
  let opened = 0
  for (let batch = 0; batch < count; batch += 100) {
    const oks = await Promise.all(Array.from({ length: Math.min(100, count - batch) }, (_, i) => openOne(paths[(batch + i) % paths.length]!)))
    opened += oks.filter(Boolean).length
  }
  return { opened, stillOpen: () => open, close: () => requests.forEach(req => req.destroy()) }
}
