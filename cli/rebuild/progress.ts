/**
 * Rebuild progress: events done, events per second and time left, redrawn on one line on a terminal and
 * written as plain lines (at most one every few seconds) anywhere else. Time left is estimated from how far the
 * positions have come, which holds for KurrentDB's byte positions as well as for SQLite's counters.
 */
import type { Output } from '../io.ts'

export interface ProgressState {
  events: number
  /** The replay goes from `from` (exclusive) to `head`; `position` is the last event it reached. */
  from: number
  position: number
  head: number
  elapsedMs: number
}

const seconds = (ms: number): string => {
  const total = Math.round(ms / 1000)
  return total < 60 ? `${total}s` : `${Math.floor(total / 60)}m${String(total % 60).padStart(2, '0')}s`
}

export function describeProgress({ events, from, position, head, elapsedMs }: ProgressState): string {
  const rate = elapsedMs > 0 ? Math.round((events * 1000) / elapsedMs) : 0
  const done = head > from ? Math.min(1, (position - from) / (head - from)) : 1
  const left = done > 0 ? (elapsedMs * (1 - done)) / done : Number.NaN
  const eta = Number.isFinite(left) ? `, ~${seconds(left)} left` : ''
  return `${events} events, position ${position}/${head} (${Math.floor(done * 100)}%), ${rate} events/s${eta}`
}

const REDRAW_MS = 100
const PLAIN_LINE_MS = 5000

export class Progress {
  private readonly started = performance.now()
  private shownAt = this.started
  private state: ProgressState

  constructor(
    private readonly output: Output,
    from: number,
  ) {
    this.state = { events: 0, from, position: from, head: from, elapsedMs: 0 }
  }

  /** The head the replay now runs to; it moves when events are appended meanwhile. */
  set head(head: number) {
    this.state.head = head
  }

  /** An event reached the replay. */
  tick(position: number): void {
    this.state.events++
    this.state.position = position
    const now = performance.now()
    if (now - this.shownAt >= (this.output.isTTY ? REDRAW_MS : PLAIN_LINE_MS)) this.show(now)
  }

  /** Shows the final figures and ends the redrawn line. */
  finish(): ProgressState {
    this.show(performance.now())
    if (this.output.isTTY) this.output.write('\n')
    return { ...this.state }
  }

  private show(now: number): void {
    this.shownAt = now
    this.state.elapsedMs = now - this.started
    const line = describeProgress(this.state)
    this.output.write(this.output.isTTY ? `\r\x1b[2K${line}` : `${line}\n`)
  }
}
