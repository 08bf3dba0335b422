/**
 * Seeding straight into the embedded event log, in batches. Every event still goes through
 * SqliteEventLog.append (expected-revision check, hash chain, the same rows), but many appends share one
 * SQLite transaction, so a batch of thousands of streams costs one commit (one fsync) instead of one each.
 *
 * This reaches into the log's private connection: better-sqlite3 runs an `append` called inside an open
 * transaction as a savepoint of it. Should the field ever move, the writer falls back to one commit per
 * append (correct, only slower) and says so.
 */
import Database from 'better-sqlite3'
import { SqliteEventLog } from '../../eventlog/sqlite.ts'
import type { AppendResult, ExpectedRevision, NewEvent } from '../../eventlog/port.ts'

export interface StreamAppend {
  streamId: string
  events: readonly NewEvent[]
  expected: ExpectedRevision
}

export class BulkLog {
  readonly log: SqliteEventLog
  private readonly inOneCommit: ((appends: readonly StreamAppend[]) => Promise<AppendResult>[]) | null
  appended = 0

  constructor(file: string) {
    this.log = new SqliteEventLog(file)
    const db = (this.log as unknown as { db?: unknown }).db
    if (db instanceof Database) {
      const batch = db.transaction((appends: readonly StreamAppend[]) =>
        appends.map(({ streamId, events, expected }) => this.log.append(streamId, events, expected)),
      )
      this.inOneCommit = appends => batch.immediate(appends)
    } else {
      this.inOneCommit = null
      console.warn('bench: SqliteEventLog has no private `db` any more; seeding with one commit per append (slower)')
    }
  }

  /** Appends every stream's events, all in one commit where possible; throws the first failure. */
  async appendAll(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    const results = this.inOneCommit
      ? await Promise.all(this.inOneCommit(appends))
      : await Promise.all(appends.map(({ streamId, events, expected }) => this.log.append(streamId, events, expected)))
    for (const { events } of appends) this.appended += events.length
    return results
  }

  close(): Promise<void> {
    return this.log.close()
  }
}
