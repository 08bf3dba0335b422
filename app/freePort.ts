import { createServer, type AddressInfo } from 'node:net'

/** A TCP port free right now on `host`. */
export const freePort = (host: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer()
      .once('error', reject)
      .listen(0, host, () => {
        const { port } = probe.address() as AddressInfo
        probe.close(() => resolve(port))
      })
  })
