/** What every walk starts and ends with: a fresh server and a client, then a look at what the server logged. */
import type { Test } from 'tap'
import { Client } from './client.ts'
import { startServer, type Server } from './server.ts'

export interface Walk {
  api: Client
  server: Server
}

/** `env` adds to the server's configuration. */
export async function openWalk(t: Test, env: Record<string, string> = {}): Promise<Walk> {
  const server = await startServer(t, env)
  return { server, api: new Client(server.base) }
}

/** The last step of a walk: whatever the walk did, the server never failed on its side. */
export function closeWalk(t: Test, { server }: Walk): void {
  t.test('all along, the server logged no error', async t => {
    t.same(server.loggedErrors(), [])
  })
}

/** A 1×1 PNG, as a phone would upload a (very small) photo. */
export const PHOTO = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64')

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

export const EUR = (amount: number) => ({ amount, currency: 'EUR' })

/** A multipart body with the file in the field `file`, as a browser form sends it. */
export function upload(bytes: Buffer, filename: string, type: string): FormData {
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), filename)
  return form
}
