/** CPU time a process has used (Linux /proc), all threads together and its main thread alone. */
import { readFileSync } from 'node:fs'

export interface CpuTime {
  /** Milliseconds of user + system time. */
  processMs: number
  mainThreadMs: number
}

/** The kernel's clock ticks per second (USER_HZ), 100 on every Linux that Node runs on. */
const TICK_MS = 10

/** utime + stime of a /proc stat line: fields 14 and 15, counted after the command name's closing parenthesis. */
function ticksOf(statPath: string): number {
  const stat = readFileSync(statPath, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return Number(fields[11]) + Number(fields[12])
}

export const cpuTimeOf = (pid: number): CpuTime => ({
  processMs: ticksOf(`/proc/${pid}/stat`) * TICK_MS,
  mainThreadMs: ticksOf(`/proc/${pid}/task/${pid}/stat`) * TICK_MS,
})
