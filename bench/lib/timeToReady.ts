/**
 * How long a command API takes to start on the embedded adapters: `npm run start:command-api`'s command (node on
 * the bundle built first, as its prestart script and the cluster do; the whole command side with its reservation
 * expiry) spawned on a data folder, until GET /ready answers 200, polled every 10 ms. Also its CPU time by then
 * (utime + stime, all its threads), which a busy machine stretches less than the wall clock.
 */
import { execFile, spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { freePort } from '../../app/freePort.ts'
import { BENCH_SECRETS } from './config.ts'

const repoRoot = fileURLToPath(new URL('../..', import.meta.url))
const POLL_MS = 10
const TIMEOUT_MS = 120_000
const CLOCK_TICKS_PER_SECOND = 100
/** The embedded adapters, whatever servers the bench's own environment names (the QR suite's MONGODB_URL...). */
const EMBEDDED = { EVENTSTORE_URL: '', POSTGRES_URL: '', MONGODB_URL: '', REDIS_URL: '', KAFKA_BROKERS: '', S3_BUCKET: '' }

export interface StartTime {
  seconds: number
  cpuSeconds: number
}

async function cpuSeconds(pid: number): Promise<number> {
  // Fields after the command name: state is the 1st, utime the 12th, stime the 13th (proc(5)).
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND
}

/** The bundles the start scripts run; once before the first start measured. */
export const buildBundles = () => promisify(execFile)(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot })

async function startCommand(): Promise<string[]> {
  const { scripts } = JSON.parse(await readFile(`${repoRoot}package.json`, 'utf8')) as { scripts: Record<string, string> }
  const [node, ...args] = scripts['start:command-api']!.split(' ')
  if (node !== 'node') throw new Error(`start:command-api does not run node: ${scripts['start:command-api']}`)
  return args
}

export async function timeToReady(dataDir: string): Promise<StartTime> {
  const port = await freePort('127.0.0.1')
  const args = await startCommand()
  const started = performance.now()
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { ...process.env, ...EMBEDDED, ...BENCH_SECRETS, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const exited = new Promise(resolve => child.once('exit', resolve))
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the command API exited (${child.exitCode}) before it was ready`)
      if (performance.now() - started > TIMEOUT_MS) throw new Error(`the command API was not ready within ${TIMEOUT_MS / 1000} s`)
      const status = await fetch(`http://127.0.0.1:${port}/ready`).then(
        response => response.status,
        () => 0,
      )
      if (status === 200) return { seconds: (performance.now() - started) / 1000, cpuSeconds: await cpuSeconds(child.pid!) }
      await sleep(POLL_MS)
    }
  } finally {
    child.kill('SIGTERM')
    await exited
  }
}
