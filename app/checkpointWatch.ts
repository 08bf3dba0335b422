import { setTimeout as sleep } from 'node:timers/promises'
import type { ReadModelStore } from '../readmodels/port.ts'
import { Watermark } from '../projectors/watermark.ts'

export interface CheckpointWatchOptions {
  intervalMs?: number
  onError: (error: unknown) => void
}

/**
 * waitForPosition in a process that runs no projections: it reads the checkpoints the projectors save (their
 * lowest is the position every read model has applied), and only while a request is waiting.
 */
export function watchCheckpoints(
  store: ReadModelStore,
  names: readonly string[],
  { intervalMs = 50, onError }: CheckpointWatchOptions,
): (position: number, timeoutMs: number) => Promise<boolean> {
  const applied = new Watermark()
  let polling = false
  const poll = async () => {
    polling = true
    try {
      while (applied.awaited) {
        const checkpoints = await Promise.all(names.map(name => store.getCheckpoint(name)))
        applied.advance(Math.min(...checkpoints))
        if (applied.awaited) await sleep(intervalMs)
      }
    } catch (error) {
      onError(error)
    } finally {
      polling = false
    }
  }
  return (position, timeoutMs) => {
    const reached = applied.waitFor(position, timeoutMs)
    if (!polling) void poll()
    return reached
  }
}
