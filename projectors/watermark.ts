/**
 * A log position that moves forward, and the callers waiting for it to reach theirs: what a projection runner
 * has applied, or what the checkpoints of another process say. Only a rebuild, which starts over, moves it back.
 */
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

  /** Moves forward to `position`; a lower one changes nothing. */
  advance(position: number): void {
    if (position <= this.#position) return
    this.#position = position
    for (const waiter of this.#waiters) if (waiter.position <= position) waiter.settle(true)
  }

  /** Moves to `position`, back as well as forward (read models emptied for a rebuild); waiters keep waiting for theirs. */
  reset(position: number): void {
    if (position >= this.#position) return this.advance(position)
    this.#position = position
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
