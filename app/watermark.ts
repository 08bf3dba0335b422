/** A log position that only moves forward, and the callers waiting for it to reach theirs. */
export class Watermark {
  #position: number
  readonly #waiters = new Set<{ position: number; settle(reached: boolean): void }>()

  constructor(position = 0) {
    this.#position = position
  }

  get position(): number {
    return this.#position
  }

  /** Whether anyone is waiting. */
  get awaited(): boolean {
    return this.#waiters.size > 0
  }

  advance(position: number): void {
    if (position <= this.#position) return
    this.#position = position
    for (const waiter of this.#waiters) if (waiter.position <= position) waiter.settle(true)
  }

  /** true as soon as the watermark reaches `position`; false after timeoutMs. */
  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    if (this.#position >= position) return Promise.resolve(true)
    return new Promise(resolve => {
      const timer = setTimeout(() => waiter.settle(false), timeoutMs)
      const waiter = {
        position,
        settle: (reached: boolean) => {
          clearTimeout(timer)
          this.#waiters.delete(waiter)
          resolve(reached)
        },
      }
      this.#waiters.add(waiter)
    })
  }
}
