/** An embedded event log holding recorded test events, appended again one by one: same positions from 1. */
import type { EventLog, RecordedEvent } from '../../eventlog/port.ts'
import { SqliteEventLog } from '../../eventlog/sqlite.ts'

export async function append(log: EventLog, events: readonly RecordedEvent[]): Promise<void> {
  for (const { streamId, type, data, metadata } of events) {
    const { prevHash: _prevHash, hash: _hash, ...unchained } = metadata
    await log.append(streamId, [{ type, data, metadata: unchained }])
  }
}

export async function logOf(events: readonly RecordedEvent[]): Promise<EventLog> {
  const log = new SqliteEventLog(':memory:', { pollIntervalMs: 20 })
  await append(log, events)
  return log
}
