/** What every suite gets and gives back, and the profiled load they share. */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { LoadSpec } from '../loadgen.ts'
import type { ServerSpec } from '../server.ts'
import type { BenchOptions } from './options.ts'
import { runLoad, startServer } from './processes.ts'
import { analyzeProfile } from './profile.ts'
import type { ProfileResult, SuiteResult } from './results.ts'

export interface SuiteContext {
  options: BenchOptions
  /** Whether the profile suite was asked for: suites then also run their hot path under --cpu-prof. */
  profile: boolean
  profiles: ProfileResult[]
  log(message: string): void
}

export type SuiteOutcome = Omit<SuiteResult, 'id' | 'title' | 'seconds'>

export interface Suite {
  id: string
  title: string
  run(ctx: SuiteContext): Promise<SuiteOutcome>
}

export const profileDir = new URL('../profiles/', import.meta.url).pathname

/** Starts the server under node --cpu-prof, puts the load on it, and sums the samples of the load's time. */
/** `prepare` runs against the started server first, unprofiled (e.g. to warm a cache). */
export async function profiledLoad(
  ctx: SuiteContext,
  name: string,
  target: string,
  server: ServerSpec,
  load: Omit<LoadSpec, 'url'>,
  prepare?: (url: string) => Promise<unknown>,
): Promise<void> {
  await mkdir(profileDir, { recursive: true })
  const file = `${name}.cpuprofile`
  const running = await startServer(server, { execArgv: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${file}`] })
  await prepare?.(running.url)
  const spec = { ...load, url: running.url, warmupSeconds: 0 }
  // A short unmeasured load first: the profile then shows the steady state, not the JIT warming up.
  await runLoad({ ...spec, seconds: Math.max(1, Math.round(ctx.options.warmupSeconds)) })
  const from = process.hrtime.bigint()
  const result = await runLoad(spec)
  const to = process.hrtime.bigint()
  await running.stop()
  const description = `${result.requests} requests in ${load.seconds} s over ${load.connections} connections (autocannon), ${Math.round(result.requestsPerSecond)} req/s under the profiler`
  const analysis = await analyzeProfile(join(profileDir, file), target, description, { from, to })
  ctx.profiles.push({ ...analysis, file: `bench/profiles/${file}` })
  ctx.log(`profiled ${target}: bench/profiles/${file}`)
}
