/**
 * The real service as a client meets it: `tsx app/main.ts` in a child process, on a free port, with a fresh
 * DATA_DIR, configured only through the environment. Its log is kept so a walk can show what the server
 * said when a step failed, and check that it logged no error.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

export const ADMIN = { email: 'admin@ptvem.test', password: 'admin-password-1' }

/** Where QR URLs point: the deployment's public address, not the port this server happens to listen on. */
export const PUBLIC_BASE_URL = 'https://id.ptvem.test'

const START_TIMEOUT_MS = 60_000
const STOP_TIMEOUT_MS = 10_000
const ERROR_LEVEL = 50

export interface Server {
  /** `http://127.0.0.1:{port}` */
  base: string
  /** Lines the server logged at error level or above. */
  loggedErrors(): string[]
}

interface Teardown {
  teardown(close: () => Promise<void>): void
}

/** The walk runs app/main.ts (what `npm start` bundles and runs) as a new user would: on the embedded adapters, even where CI exports the stack's URLs. */
const PRODUCTION_SETTING = /^(EVENTSTORE_URL|POSTGRES_URL|MONGODB_URL|REDIS_URL|KAFKA_BROKERS|KAFKA_TOPIC|S3_.*)$/

function embeddedOnly(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !PRODUCTION_SETTING.test(name)))
}

/** `env` adds to or overrides the walk's configuration. */
export async function startServer(t: Teardown, env: Record<string, string> = {}): Promise<Server> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ptvem-acceptance-'))
  const child = spawn('node_modules/.bin/tsx', ['app/main.ts'], {
    env: {
      ...embeddedOnly(process.env),
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      PUBLIC_BASE_URL,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      RATE_LIMIT_AUTH: '10000',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const errors: string[] = []
  const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)))

  t.teardown(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM')
      const killer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
      await exited
      clearTimeout(killer)
    }
    await rm(dataDir, { recursive: true, force: true })
  })

  const listening = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS)
    createInterface({ input: child.stdout }).on('line', line => {
      let entry: { level?: number; msg?: string }
      try {
        entry = JSON.parse(line)
      } catch {
        return
      }
      if ((entry.level ?? 0) >= ERROR_LEVEL) errors.push(line)
      const address = /^Server listening at (http:\/\/127\.0\.0\.1:\d+)$/.exec(entry.msg ?? '')?.[1]
      if (address) {
        clearTimeout(timer)
        resolve(address)
      }
    })
    createInterface({ input: child.stderr }).on('line', line => errors.push(line))
    void exited.then(code => {
      clearTimeout(timer)
      reject(new Error(`the server exited with ${code} before listening:\n${errors.join('\n')}`))
    })
  })

  return { base: await listening, loggedErrors: () => [...errors] }
}
