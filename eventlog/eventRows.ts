/**
 * Reading a log kept as rows in position order (SQLite, PostgreSQL): the events after a position, a batch of rows
 * per query, so that a large log is never held in memory at once. A row that is not one of the log's own events
 * (another program's) is passed over, its position counted.
 */
import type { AppendNotifier } from './appendNotifier.ts'
import type { RecordedEvent } from './port.ts'

/** Rows read per query. */
const READ_BATCH = 1000

export interface EventRows<Row> {
  /** Up to `limit` rows after `position`, in position order. */
  after(position: number, limit: number): readonly Row[] | Promise<readonly Row[]>
  positionOf(row: Row): number
  /** Its event, or undefined when the row is not the log's. */
  toRecorded(row: Row): RecordedEvent | undefined
}

/** A subscription's: it waits for appends at the end of the log instead of ending there. */
export interface Follow {
  /** Wakes the subscription after an append; it also looks again after the notifier's poll interval. */
  notifier: AppendNotifier
  /** Whether the log has closed. */
  closed(): boolean
  signal?: AbortSignal
}

/** At most `maxCount` events after `after`; with `follow`, then each one appended later, until the log closes or the signal aborts. */
export async function* eventsAfter<Row>(rows: EventRows<Row>, after: number, { maxCount = Infinity, follow }: { maxCount?: number; follow?: Follow }): AsyncIterable<RecordedEvent> {
  const stopped = () => follow !== undefined && (follow.closed() || follow.signal?.aborted === true)
  let checkpoint = after
  let remaining = maxCount
  while (remaining > 0 && !stopped()) {
    const seen = follow?.notifier.seen ?? 0
    const limit = Math.min(READ_BATCH, remaining)
    const batch = await rows.after(checkpoint, limit)
    for (const row of batch) {
      checkpoint = rows.positionOf(row)
      const event = rows.toRecorded(row)
      if (!event) continue
      yield event
      if (--remaining === 0 || stopped()) return
    }
    if (batch.length < limit) {
      if (!follow) return
      await follow.notifier.wait(seen, follow.signal)
    }
  }
}
