/**
 * `npm start` (heap capped at 1 GB, TRUST_PROXY=127.0.0.1) as a child process on loopback with a data folder of its
 * own, for the hostile-client load tests: its base URL, its RSS, a JSON API client, and a stop that removes it all.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../../app/freePort.ts'

export const ADMIN = { email: 'admin@bench.test', password: 'bench-admin-password' }

export interface Child {
  base: string
  /** Resident set size now, and its peak so far (VmHWM), MB. */
  rssMb(): Promise<{ now: number; peak: number }>
  api(method: string, path: string, body?: unknown, token?: string): Promise<any>
  login(email: string, password: string): Promise<string>
  stop(): Promise<void>
}

/** `nodeFlags` go to node before the app, e.g. `--cpu-prof`. */
export async function startChild(env: Record<string, string> = {}, nodeFlags: string[] = []): Promise<Child> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ptvem-bench-hostile-'))
  const port = await freePort('127.0.0.1')
  const base = `http://127.0.0.1:${port}`
  const server = spawn(process.execPath, ['--max-old-space-size=1024', ...nodeFlags, '--import', 'tsx', 'app/main.ts'], {
    env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, TRUST_PROXY: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const stop = async () => {
    if (server.exitCode === null && server.signalCode === null) {
      server.kill('SIGTERM')
      await new Promise(resolve => server.once('exit', resolve))
    }
    await rm(dataDir, { recursive: true, force: true })
  }
  process.once('uncaughtException', async error => {
    console.error(error)
    await stop()
    process.exit(1)
  })
  for (let started = Date.now(); ; ) {
    if (await fetch(`${base}/health`).then(response => response.ok, () => false)) break
    if (server.exitCode !== null || Date.now() - started > 60_000) throw new Error('the server did not start')
    await new Promise(resolve => setTimeout(resolve, 200))
  }

  const rssMb = async () => {
    const status = await readFile(`/proc/${server.pid}/status`, 'utf8')
    const kB = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]) / 1024
    return { now: kB('VmRSS'), peak: kB('VmHWM') }
  }
  const api = async (method: string, path: string, body?: unknown, token?: string): Promise<any> => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...(token && { authorization: `Bearer ${token}` }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`)
    return response.status === 204 ? null : response.json()
  }
  const login = async (email: string, password: string) => (await api('POST', '/api/auth/login', { email, password })).accessToken as string
  return { base, rssMb, api, login, stop }
}
