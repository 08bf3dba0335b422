/**
 * Every measurement runs in a process of its own: the server under test (bench/server.ts), the load
 * generator (bench/loadgen.ts, autocannon), and the no-HTTP baselines (bench/worker.ts). They are forked
 * with tsx's loader and talk over the IPC channel.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { LoadResult, LoadSpec } from '../loadgen.ts'
import type { ServerSpec } from '../server.ts'
import type { WorkerResult, WorkerTask } from '../worker.ts'

const benchDir = fileURLToPath(new URL('..', import.meta.url))
const repoRoot = fileURLToPath(new URL('../..', import.meta.url))

interface Message {
  type: string
  [key: string]: unknown
}

function forkTs(file: string, execArgv: string[] = [], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return fork(`${benchDir}${file}`, [], {
    cwd: repoRoot,
    execArgv: ['--import', 'tsx', ...execArgv],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
}

/** The next message of `type` from the child; rejects if it exits or reports an error first. */
function next<T extends Message>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: Message) => {
      if (message.type === 'error') done(() => reject(new Error(`${String(message.message)}\n${String(message.stack ?? '')}`)))
      else if (message.type === type) done(() => resolve(message as T))
    }
    const onExit = (code: number | null, signal: string | null) =>
      done(() => reject(new Error(`child exited (${code ?? signal}) before sending ${type}`)))
    const done = (settle: () => void) => {
      child.off('message', onMessage)
      child.off('exit', onExit)
      settle()
    }
    child.on('message', onMessage)
    child.on('exit', onExit)
  })
}

export interface RunningServer {
  url: string
  pid: number
  /** Closes the app (and its adapters) and waits for the process to end; a --cpu-prof profile is then written. */
  stop(): Promise<{ maxRssMb: number }>
}

export async function startServer(spec: ServerSpec, { execArgv = [] as string[] } = {}): Promise<RunningServer> {
  const child = forkTs('server.ts', execArgv)
  const ready = next<Message & { port: number }>(child, 'ready')
  child.send({ type: 'start', spec })
  const { port } = await ready
  let stopped: Promise<{ maxRssMb: number }> | undefined
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    stop: () =>
      (stopped ??= (async () => {
        const exited = new Promise(resolve => child.once('exit', resolve))
        const reply = next<Message & { maxRssMb: number }>(child, 'stopped')
        child.send({ type: 'stop' })
        const { maxRssMb } = await reply
        await exited
        return { maxRssMb }
      })()),
  }
}

/** Runs one task in a fresh process and returns its result (with the process's peak RSS). */
export async function runWorker<T extends WorkerTask>(task: T, { execArgv = [] as string[] } = {}): Promise<WorkerResult> {
  const child = forkTs('worker.ts', execArgv)
  const done = next<Message & { result: WorkerResult }>(child, 'done')
  child.send({ type: 'run', task })
  const { result } = await done
  await new Promise(resolve => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)))
  return result
}

/** Requests of a load answered other than 2xx, failed, or timed out. */
export const failures = ({ non2xx, errors, timeouts }: LoadResult): number => non2xx + errors + timeouts

/** Puts HTTP load on a server from a separate process (autocannon), warm-up first, and returns the measured part. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const child = forkTs('loadgen.ts')
  const done = next<Message & { result: LoadResult }>(child, 'done')
  child.send({ type: 'run', spec })
  const { result } = await done
  await new Promise(resolve => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)))
  return result
}
