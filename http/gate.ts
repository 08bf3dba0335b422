/**
 * At most `concurrent` jobs at once and `waiting` more in line for a turn; one beyond that is refused at once
 * with a 503 and retry-after, so that a burst costs a refusal, never a queue that grows without bound.
 */
import { HttpProblem } from './problem.ts'

export class Gate {
  #running = 0
  readonly #line: Array<() => void> = []

  constructor(
    private readonly what: string,
    private readonly concurrent: number,
    private readonly waiting: number,
  ) {}

  /** Runs `job` in its turn; a 503 when the line is full. */
  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.#running >= this.concurrent) {
      if (this.#line.length >= this.waiting) {
        throw new HttpProblem(503, 'Service Unavailable', `too many ${this.what} at once; try again shortly`, undefined, { 'retry-after': '1' })
      }
      await new Promise<void>(resolve => this.#line.push(resolve))
    } else this.#running++
    try {
      return await job()
    } finally {
      const next = this.#line.shift()
      if (next) next()
      else this.#running--
    }
  }
}
