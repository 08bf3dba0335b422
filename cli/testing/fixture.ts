/**
 * A data folder served by the embedded stack (projections running, as under `npm start`), and `audit` run
 * in-process against the same folder, as an operator would beside a running API.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Test } from 'tap'
import type { AppContext } from '../../app/context.ts'
import { loadConfig } from '../../app/config.ts'
import { startEmbedded, type Embedded } from '../../app/embedded.ts'
import { createLogger } from '../../app/logger.ts'
import type { Io } from '../io.ts'
import { run } from '../run.ts'

export const EXPORTED_AT = new Date('2026-01-01T00:00:00.000Z')

export interface AuditResult {
  code: number
  stdout: string
  stderr: string
}

export interface CapturedIo extends Io {
  readonly out: string[]
  readonly err: string[]
}

export const captureIo = (env: Io['env'], tty = false): CapturedIo => {
  const out: string[] = []
  const err: string[] = []
  return {
    out,
    err,
    stdout: { write: text => out.push(text), isTTY: tty },
    stderr: { write: text => err.push(text), isTTY: tty },
    env,
    clock: () => EXPORTED_AT,
  }
}

/** `audit ...argv` on `dataDir`. */
export async function audit(dataDir: string, ...argv: string[]): Promise<AuditResult> {
  const io = captureIo({ DATA_DIR: dataDir })
  const code = await run(argv, io)
  return { code, stdout: io.out.join(''), stderr: io.err.join('') }
}

export interface Served {
  dataDir: string
  ctx: AppContext
  /** Stops the stack; the data folder stays until the test ends. */
  stop(): Promise<void>
  /** Starts the stack again on the same folder (a restart, or a second API instance). */
  restart(): Promise<void>
}

export async function serve(t: Test): Promise<Served> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ptvem-audit-'))
  const config = loadConfig({ DATA_DIR: dataDir, JWT_SECRET: 'test-jwt-secret-of-at-least-32-bytes', SIGNING_SECRET: 'test-signing-secret-of-at-least-32-bytes' })
  const start = () => startEmbedded(config, { log: createLogger('silent') })
  let embedded: Embedded | null = await start()
  const served: Served = {
    dataDir,
    ctx: embedded.ctx,
    async stop() {
      await embedded?.close()
      embedded = null
    },
    async restart() {
      await served.stop()
      embedded = await start()
      served.ctx = embedded.ctx
    },
  }
  t.teardown(async () => {
    await served.stop()
    await rm(dataDir, { recursive: true, force: true })
  })
  return served
}
