/**
 * A checkpoint that moves with every message: stored as it moves, but never by more than one write at a time, each
 * write carrying the newest position once `gatherMs` have passed since the position moved. Under a burst of messages
 * that is one write per interval, not one per message (a restart consumes again at most the interval's messages,
 * which at-least-once consumers handle anyway); when the messages stop, the last position is stored.
 */
import { setTimeout as delay } from 'node:timers/promises'
import type { ReadModelStore } from '../readmodels/port.ts'

/** How long a moved checkpoint waits for further messages before it is stored: under the 50 ms at which a process
 *  without projectors polls the checkpoints for x-min-position (app/checkpointWatch.ts), so its reads wait little longer. */
export const CHECKPOINT_GATHER_MS = 20

export class CheckpointWriter {
  private latest: number
  private stored: number
  private writing: Promise<void> | null = null

  constructor(
    private readonly store: ReadModelStore,
    private readonly name: string,
    position: number,
    private readonly onError: (error: unknown) => void,
    private readonly gatherMs = CHECKPOINT_GATHER_MS,
  ) {
    this.latest = this.stored = position
  }

  /** To be called once what the position covers is written. */
  advance(position: number): void {
    if (position <= this.latest) return
    this.latest = position
    this.writing ??= this.writeLatest()
  }

  /** Settles once the newest position is stored, or its write failed (reported to onError). */
  async flush(): Promise<void> {
    await this.writing
    if (this.stored < this.latest) await (this.writing ??= this.writeLatest())
  }

  private async writeLatest(): Promise<void> {
    try {
      while (this.stored < this.latest) {
        if (this.gatherMs > 0) await delay(this.gatherMs)
        const position = this.latest
        await this.store.setCheckpoint(this.name, position)
        this.stored = position
      }
    } catch (error) {
      // Tried again with the next position, or at the flush.
      this.onError(error)
    } finally {
      this.writing = null
    }
  }
}
