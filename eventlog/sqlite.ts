/**
 * The embedded event log: one SQLite file (better-sqlite3, WAL), one `events` table whose rowid is the
 * global position. Appends run in an IMMEDIATE transaction, so the expected-revision check, the hash chain
 * and the insert see the same stream head even when another process writes to the same file.
 *
 * The appends of one event-loop turn share that transaction (group commit, eventlog/groupCommit): with
 * synchronous = FULL each commit waits for an fsync, so it is one fsync per turn instead of one per append.
 * Each append runs in a savepoint of its own: a refused append rolls back only itself.
 */
import Database from 'better-sqlite3'
import { AppendNotifier } from './appendNotifier.ts'
import { eventsAfter, type EventRows } from './eventRows.ts'
import { assertNotEmpty, conflict, earlierResult, retryStart, satisfies } from './appendRules.ts'
import { GroupCommit } from './groupCommit.ts'
import { GENESIS_HASH, chain } from './hashChain.ts'
import {
  InvalidPosition,
  assertPositionShape,
  isChainedMetadata,
  type AppendResult,
  type EventLog,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
} from './port.ts'

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    stream_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    event_id TEXT NOT NULL,
    type TEXT NOT NULL,
    data TEXT NOT NULL,
    metadata TEXT NOT NULL,
    UNIQUE (stream_id, revision)
  ) STRICT;
  CREATE INDEX IF NOT EXISTS events_by_event_id ON events (event_id);
`
/** Read as arrays (raw mode), which is markedly faster than objects on long reads. */
const EVENT_COLUMNS = 'position, stream_id, revision, type, data, metadata'
/** SQLite's LIMIT for "no limit". */
const UNLIMITED = -1
/** Appends per transaction at most, so that another process (the audit CLI) never waits long for the write lock. */
const MAX_GROUP = 500

/** EVENT_COLUMNS, in order; data and metadata are JSON text. */
type EventRow = [position: number, streamId: string, revision: number, type: string, data: string, metadata: string]

interface AppendRequest {
  streamId: string
  events: readonly NewEvent[]
  expected: ExpectedRevision
}

export interface SqliteEventLogOptions {
  /** How often an idle subscription looks for appends made by another process. */
  pollIntervalMs?: number
}

export class SqliteEventLog implements EventLog {
  private readonly db: Database.Database
  private readonly statements: ReturnType<typeof prepareStatements>
  /** Nested in the group's transaction, so a SAVEPOINT. */
  private readonly appendInSavepoint: Database.Transaction<SqliteEventLog['write']>
  private readonly appends: GroupCommit<AppendRequest, AppendResult>
  private readonly notifier: AppendNotifier
  private closed = false
  private readonly rows: EventRows<EventRow> = {
    after: (position, limit) => this.statements.eventsAfter.all(position, limit),
    positionOf: row => row[0],
    toRecorded,
  }

  /** `file` is a path, or ':memory:'. */
  constructor(file: string, { pollIntervalMs = 1000 }: SqliteEventLogOptions = {}) {
    this.db = new Database(file)
    this.db.pragma('journal_mode = WAL')
    // An acknowledged append must survive a power loss; NORMAL would trade that for speed.
    this.db.pragma('synchronous = FULL')
    // A second process waits for the write lock instead of failing with SQLITE_BUSY.
    this.db.pragma('busy_timeout = 5000')
    this.db.exec(SCHEMA)
    this.statements = prepareStatements(this.db)
    this.notifier = new AppendNotifier(pollIntervalMs)
    this.appendInSavepoint = this.db.transaction(this.write.bind(this))
    const commitGroup = this.db.transaction((requests: AppendRequest[]) => requests.map(request => this.settle(request)))
    this.appends = new GroupCommit(requests => {
      const outcomes = commitGroup.immediate(requests)
      this.notifier.notify()
      return outcomes
    }, MAX_GROUP)
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision = 'any'): Promise<AppendResult> {
    assertNotEmpty(streamId, events)
    return this.appends.submit({ streamId, events, expected })
  }

  async readStream(
    streamId: string,
    { direction = 'forwards', fromRevision, maxCount = UNLIMITED }: ReadStreamOptions = {},
  ): Promise<RecordedEvent[]> {
    const rows =
      direction === 'forwards'
        ? this.statements.streamForwards.all(streamId, fromRevision ?? 0, maxCount)
        : this.statements.streamBackwards.all(streamId, fromRevision ?? Number.MAX_SAFE_INTEGER, maxCount)
    return recordedOf(rows)
  }

  async *readAll({ after = 0, maxCount = Infinity }: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    this.assertPosition(after)
    yield* eventsAfter(this.rows, after, { maxCount })
  }

  async *subscribe({ after = 0, signal }: SubscribeOptions = {}): AsyncIterable<RecordedEvent> {
    this.assertPosition(after)
    yield* eventsAfter(this.rows, after, { follow: { notifier: this.notifier, closed: () => this.closed, signal } })
  }

  async headPosition(): Promise<number> {
    for (const [position, metadata] of this.statements.newestFirst.iterate()) {
      if (isChainedMetadata(parseJson(metadata))) return position
    }
    return 0
  }

  /** Commits the appends still queued first. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.appends.flush()
    this.notifier.notify()
    this.db.close()
  }

  /** Every row's position is an event's, whether or not this port wrote it: only a position past the last row is not. */
  private assertPosition(position: number): void {
    assertPositionShape(position)
    if (position > this.statements.lastRow.get()!) throw new InvalidPosition(position, 'is past the end of this log')
  }

  private settle({ streamId, events, expected }: AppendRequest): PromiseSettledResult<AppendResult> {
    try {
      return { status: 'fulfilled', value: this.appendInSavepoint(streamId, events, expected) }
    } catch (reason) {
      // On some errors (disk full, I/O) SQLite rolls back the whole transaction: then the whole group fails.
      if (!this.db.inTransaction) throw reason
      return { status: 'rejected', reason }
    }
  }

  /** The body of one append, in its savepoint. */
  private write(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): AppendResult {
    const head = this.statements.streamHead.get(streamId)
    const current = head?.revision ?? -1

    const start = retryStart(expected, current, () =>
      this.statements.revisionOfEvent.get(events[0]!.metadata.eventId, streamId),
    )
    if (start !== undefined) {
      const earlier = earlierResult(events, this.statements.eventIdsFrom.all(streamId, start, events.length))
      if (earlier) return earlier
      throw conflict(streamId, expected, current)
    }
    if (!satisfies(expected, current)) throw conflict(streamId, expected, current)

    let prevHash = head?.hash ?? GENESIS_HASH
    let position = 0
    for (const [index, event] of events.entries()) {
      const revision = current + 1 + index
      const metadata = chain(prevHash, streamId, revision, event)
      const data = JSON.stringify(event.data)
      const inserted = this.statements.insert.run(streamId, revision, metadata.eventId, event.type, data, JSON.stringify(metadata))
      position = Number(inserted.lastInsertRowid)
      prevHash = metadata.hash
    }
    return { nextRevision: current + events.length, position }
  }
}

function prepareStatements(db: Database.Database) {
  return {
    streamHead: db.prepare<[string], { revision: number; hash: string }>(
      `SELECT revision, metadata ->> '$.hash' AS hash FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1`,
    ),
    revisionOfEvent: db
      .prepare<[string, string], number>(`SELECT revision FROM events WHERE event_id = ? AND stream_id = ? ORDER BY revision LIMIT 1`)
      .pluck(),
    eventIdsFrom: db.prepare<[string, number, number], { revision: number; position: number; eventId: string }>(
      `SELECT revision, position, event_id AS eventId FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?`,
    ),
    insert: db.prepare<[string, number, string, string, string, string]>(
      `INSERT INTO events (stream_id, revision, event_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    streamForwards: db
      .prepare<[string, number, number], EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?`,
      )
      .raw(),
    streamBackwards: db
      .prepare<[string, number, number], EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
      )
      .raw(),
    eventsAfter: db
      .prepare<[number, number], EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`)
      .raw(),
    lastRow: db.prepare<[], number>(`SELECT coalesce(max(position), 0) FROM events`).pluck(),
    newestFirst: db.prepare<[], [position: number, metadata: string]>(`SELECT position, metadata FROM events ORDER BY position DESC`).raw(),
  }
}

/** The event of a row, or undefined for a row another program wrote (no chained metadata of this port). */
function toRecorded([position, streamId, revision, type, data, metadata]: EventRow): RecordedEvent | undefined {
  const chained = parseJson(metadata)
  if (!isChainedMetadata(chained)) return undefined
  return { streamId, revision, position, type, data: JSON.parse(data), metadata: chained }
}

function recordedOf(rows: EventRow[]): RecordedEvent[] {
  const events: RecordedEvent[] = []
  for (const row of rows) {
    const event = toRecorded(row)
    if (event) events.push(event)
  }
  return events
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
