/**
 * A checkpoint that moves with every message: stored as it moves, but never by more than one write at a time, the
 * next write carrying the newest position. Under a burst of messages that is one write per store round trip, not
 * one per message; when the messages stop, the last position is stored.
 */
import type { ReadModelStore } from '../readmodels/port.ts'

export class CheckpointWriter {
  private latest: number
  private stored: number
  private writing: Promise<void> | null = null

  constructor(
    private readonly store: ReadModelStore,
    private readonly name: string,
    position: number,
    private readonly onError: (error: unknown) => void,
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
