/**
 * Wakes live subscriptions of an embedded log: at once when this process appends, otherwise after a poll
 * interval, so that appends by another process sharing the file are seen too.
 */
export class AppendNotifier {
  private appends = 0
  private readonly waiters = new Set<() => void>()

  constructor(private readonly pollIntervalMs: number) {}

  /** Take it before reading, and pass it to `wait`: an append in between is not missed. */
  get seen(): number {
    return this.appends
  }

  /** After an append; also wakes every waiter for good when the log closes. */
  notify(): void {
    this.appends++
    for (const wake of this.waiters) wake()
  }

  /** Resolves on the first append since `seen` (at once if one came already), after the poll interval, or
   *  when the signal aborts, leaving no timer or listener behind. */
  wait(seen: number, signal?: AbortSignal): Promise<void> {
    if (this.appends !== seen || signal?.aborted) return Promise.resolve()
    return new Promise(resolve => {
      const wake = () => {
        clearTimeout(timer)
        this.waiters.delete(wake)
        signal?.removeEventListener('abort', wake)
        resolve()
      }
      const timer = setTimeout(wake, this.pollIntervalMs)
      this.waiters.add(wake)
      signal?.addEventListener('abort', wake, { once: true })
    })
  }
}
