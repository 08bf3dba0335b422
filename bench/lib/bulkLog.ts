/**
 * Seeding straight into the embedded event log, in batches. Every event goes through SqliteEventLog.append
 * (expected-revision check, hash chain, the same rows); appends issued together share the log's group commits,
 * so a batch of thousands of streams costs a few commits instead of one each.
 */
import { SqliteEventLog } from '../../eventlog/sqlite.ts'
import type { AppendResult, ExpectedRevision, NewEvent } from '../../eventlog/port.ts'

export interface StreamAppend {
  streamId: string
  events: readonly NewEvent[]
  expected: ExpectedRevision
}

export class BulkLog {
  readonly log: SqliteEventLog
  appended = 0

  constructor(file: string) {
    this.log = new SqliteEventLog(file)
  }

  /** Appends every stream's events, together; throws the first failure. */
  async appendAll(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    const results = await Promise.all(appends.map(({ streamId, events, expected }) => this.log.append(streamId, events, expected)))
    for (const { events } of appends) this.appended += events.length
    return results
  }

  close(): Promise<void> {
    return this.log.close()
  }
}
