/**
 * readAll and subscribe for an adapter that reads its events by position, a page at a time: a large log is never
 * held in memory at once, and a live subscription waits on an AppendNotifier between pages.
 */
import type { AppendNotifier } from './appendNotifier.ts'
import type { ReadAllOptions, RecordedEvent, SubscribeOptions } from './port.ts'

/** Up to `limit` events after `position`, in order. */
export type ReadAfter = (position: number, limit: number) => RecordedEvent[] | Promise<RecordedEvent[]>

export async function* readPages(readAfter: ReadAfter, pageSize: number, { after = 0, maxCount = Infinity }: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
  let checkpoint = after
  let remaining = maxCount
  while (remaining > 0) {
    const page = await readAfter(checkpoint, Math.min(pageSize, remaining))
    for (const event of page) {
      checkpoint = event.position
      yield event
    }
    if (page.length < pageSize) return
    remaining -= page.length
  }
}

/** Pages until the end of the log, then waits for the notifier, until the signal aborts or `closed` says so. */
export async function* followPages(
  readAfter: ReadAfter,
  pageSize: number,
  notifier: AppendNotifier,
  closed: () => boolean,
  { after = 0, signal }: SubscribeOptions = {},
): AsyncIterable<RecordedEvent> {
  let checkpoint = after
  while (!closed() && !signal?.aborted) {
    const seen = notifier.seen
    const page = await readAfter(checkpoint, pageSize)
    for (const event of page) {
      checkpoint = event.position
      yield event
      if (closed() || signal?.aborted) return
    }
    if (page.length < pageSize) await notifier.wait(seen, signal)
  }
}
