/**
 * The shared event log on PostgreSQL (`pg`): one `events` table, one row per event, its `position` the global
 * position; `POSTGRES_URL` names the database.
 *
 * Global order without gaps: positions come from a one-row counter (`event_log_head`) that an append updates
 * in the same statement as its inserts. The update locks the row until the append commits, so the next append
 * waits and takes the positions after it; a rolled-back append gives its positions back with its update. A
 * position is therefore visible only once every position before it is: a reader that has read position p has
 * read everything up to p, and never steps over a position that commits later (a sequence would hand out p + 1
 * while p may still be in flight). The price is that appends commit one at a time, across every process.
 *
 * A stream's chain cannot fork: (stream_id, revision) is unique, so of two appends that chained from the same
 * head, the second fails; it is then checked again against the new head (a conflict, a retry, or, with 'any',
 * chained from the new head). Live subscriptions wake on a NOTIFY sent by the append's own statement (delivered
 * at its commit), and poll as well, in case the listening connection was down when one was sent.
 */
import pg from 'pg'
import { AppendNotifier } from './appendNotifier.ts'
import { eventsAfter, type EventRows } from './eventRows.ts'
import { assertNotEmpty, conflict, earlierResult, retryStart, satisfies } from './appendRules.ts'
import { GENESIS_HASH, chain } from './hashChain.ts'
import {
  EventLogUnavailable,
  InvalidPosition,
  assertPositionShape,
  isChainedMetadata,
  type AppendResult,
  type ChainedMetadata,
  type EventLog,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
} from './port.ts'

const CHANNEL = 'ptvem_event_log'

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS event_log_head (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    position bigint NOT NULL
  );
  INSERT INTO event_log_head (position) VALUES (0) ON CONFLICT DO NOTHING;
  CREATE TABLE IF NOT EXISTS events (
    position bigint PRIMARY KEY,
    stream_id text NOT NULL,
    revision integer NOT NULL,
    event_id text NOT NULL,
    type text NOT NULL,
    data text NOT NULL,
    metadata text NOT NULL,
    UNIQUE (stream_id, revision)
  );
  CREATE INDEX IF NOT EXISTS events_by_event_id ON events (stream_id, event_id);
`
/** Two processes creating the schema at once would collide in the catalog: the first one does, the other waits. */
const SCHEMA_LOCK = 0x7074_7665

/**
 * The append: positions from the counter (locked until commit), the events inserted after them, and a
 * notification that goes out at commit. One statement, so one round trip and its own transaction.
 */
const APPEND = `
  WITH head AS (
    UPDATE event_log_head SET position = position + $1 RETURNING position
  ), inserted AS (
    INSERT INTO events (position, stream_id, revision, event_id, type, data, metadata)
    SELECT head.position - $1 + e.n, $2, e.revision, e.event_id, e.type, e.data, e.metadata
    FROM head, unnest($3::integer[], $4::text[], $5::text[], $6::text[], $7::text[]) WITH ORDINALITY
      AS e(revision, event_id, type, data, metadata, n)
    RETURNING position
  )
  SELECT max(position) AS position, pg_notify('${CHANNEL}', max(position)::text) FROM inserted`

const EVENT_COLUMNS = 'position, stream_id, revision, type, data, metadata'
const UNIQUE_VIOLATION = '23505'

interface EventRow {
  position: string
  stream_id: string
  revision: number
  type: string
  data: string
  metadata: string
}

export interface PostgresEventLogOptions {
  /** How often an idle subscription reads anyway, should a notification have been missed. */
  pollIntervalMs?: number
  /** Connections of the pool. */
  maxConnections?: number
  /** Longest wait for a connection before an operation fails as unavailable. */
  connectTimeoutMs?: number
}

export class PostgresEventLog implements EventLog {
  private readonly notifier: AppendNotifier
  private listening: Promise<void> | undefined
  private listener: pg.Client | undefined
  private closed = false
  private readonly rows: EventRows<EventRow> = {
    after: (position, limit) =>
      this.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE position > $1 ORDER BY position LIMIT $2`, [position, limit]),
    positionOf: row => Number(row.position),
    toRecorded,
  }

  private constructor(
    private readonly pool: pg.Pool,
    private readonly connectionString: string,
    pollIntervalMs: number,
  ) {
    this.notifier = new AppendNotifier(pollIntervalMs)
  }

  /** `url` names the database (`postgres://user@host:5432/ptvem`). Resolves once the schema is there. */
  static async connect(url: string, { pollIntervalMs = 1000, maxConnections = 10, connectTimeoutMs = 5000 }: PostgresEventLogOptions = {}): Promise<PostgresEventLog> {
    const pool = new pg.Pool({ connectionString: url, max: maxConnections, connectionTimeoutMillis: connectTimeoutMs })
    // An idle connection that the server closes is reported here; the next query simply takes another.
    pool.on('error', () => {})
    try {
      await unavailableOnFailure(() => createSchema(pool))
    } catch (error) {
      await pool.end()
      throw error
    }
    return new PostgresEventLog(pool, url, pollIntervalMs)
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision = 'any'): Promise<AppendResult> {
    assertNotEmpty(streamId, events)
    return unavailableOnFailure(async () => {
      // Each lost race is another append's win, so this ends: with a pinned revision at the next check.
      for (;;) {
        try {
          return await this.appendAtHead(streamId, events, expected)
        } catch (error) {
          if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error
        }
      }
    })
  }

  async readStream(streamId: string, { direction = 'forwards', fromRevision, maxCount }: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const forwards = direction === 'forwards'
    const rows = await this.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 AND revision ${forwards ? '>=' : '<='} $2::bigint
       ORDER BY revision ${forwards ? 'ASC' : 'DESC'} LIMIT $3`,
      [streamId, fromRevision ?? (forwards ? 0 : Number.MAX_SAFE_INTEGER), maxCount ?? null],
    )
    return recordedOf(rows)
  }

  async *readAll({ after = 0, maxCount = Infinity }: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    await this.assertPosition(after)
    yield* eventsAfter(this.rows, after, { maxCount })
  }

  async *subscribe({ after = 0, signal }: SubscribeOptions = {}): AsyncIterable<RecordedEvent> {
    await this.assertPosition(after)
    await this.listen()
    yield* eventsAfter(this.rows, after, { follow: { notifier: this.notifier, closed: () => this.closed, signal } })
  }

  /** Of the port's last event: rows another program wrote after it are not this port's. */
  async headPosition(): Promise<number> {
    for (let before = Number.MAX_SAFE_INTEGER; ; ) {
      const rows = await this.query<{ position: string; metadata: string }>(
        'SELECT position, metadata FROM events WHERE position < $1::bigint ORDER BY position DESC LIMIT 100',
        [before],
      )
      const chained = rows.find(row => isChainedMetadata(parseJson(row.metadata)))
      if (chained) return Number(chained.position)
      if (rows.length < 100) return 0
      before = Number(rows.at(-1)!.position)
    }
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.notifier.notify()
    await this.listener?.end().catch(() => {})
    await this.pool.end()
  }

  private async appendAtHead(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const [head] = await this.query<{ revision: number | null; metadata: string | null; first_event_revision: number | null }>(
      `SELECT last.revision, last.metadata,
         (SELECT revision FROM events WHERE stream_id = $1 AND event_id = $2 ORDER BY revision LIMIT 1) AS first_event_revision
       FROM (SELECT 1) AS one
       LEFT JOIN LATERAL (SELECT revision, metadata FROM events WHERE stream_id = $1 ORDER BY revision DESC LIMIT 1) AS last ON true`,
      [streamId, events[0]!.metadata.eventId],
    )
    const current = head?.revision ?? -1

    const start = retryStart(expected, current, () => head?.first_event_revision ?? undefined)
    if (start !== undefined) {
      const stored = await this.query<{ revision: number; position: string; event_id: string }>(
        'SELECT revision, position, event_id FROM events WHERE stream_id = $1 AND revision >= $2 ORDER BY revision LIMIT $3',
        [streamId, start, events.length],
      )
      const earlier = earlierResult(events, stored.map(row => ({ revision: row.revision, position: Number(row.position), eventId: row.event_id })))
      if (earlier) return earlier
      throw conflict(streamId, expected, current)
    }
    if (!satisfies(expected, current)) throw conflict(streamId, expected, current)

    let prevHash = head?.metadata ? (JSON.parse(head.metadata) as ChainedMetadata).hash : GENESIS_HASH
    const chained = events.map((event, index) => {
      const metadata = chain(prevHash, streamId, current + 1 + index, event)
      prevHash = metadata.hash
      return { revision: current + 1 + index, event, metadata }
    })
    const [appended] = await this.query<{ position: string }>(APPEND, [
      events.length,
      streamId,
      chained.map(({ revision }) => revision),
      chained.map(({ metadata }) => metadata.eventId),
      chained.map(({ event }) => event.type),
      chained.map(({ event }) => JSON.stringify(event.data)),
      chained.map(({ metadata }) => JSON.stringify(metadata)),
    ])
    this.notifier.notify()
    return { nextRevision: current + events.length, position: Number(appended!.position) }
  }

  /** Every row's position is an event's, whether or not this port wrote it: only a position past the last row is not. */
  private async assertPosition(position: number): Promise<void> {
    assertPositionShape(position)
    const [head] = await this.query<{ position: string }>('SELECT position FROM event_log_head', [])
    if (position > Number(head?.position ?? 0)) throw new InvalidPosition(position, 'is past the end of this log')
  }

  private query<Row extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<Row[]> {
    return unavailableOnFailure(async () => (await this.pool.query<Row>(text, values)).rows)
  }

  /** One connection LISTENs for the whole log, from the first subscription on; reconnects when it is lost. */
  private listen(): Promise<void> {
    this.listening ??= this.connectListener().catch(() => this.listenLater())
    return this.listening
  }

  private listenLater(): void {
    this.listening = undefined
    if (this.closed) return
    setTimeout(() => void this.listen(), 1000).unref()
  }

  private async connectListener(): Promise<void> {
    const listener = new pg.Client({ connectionString: this.connectionString })
    this.listener = listener
    listener.on('notification', () => this.notifier.notify())
    listener.on('error', () => {
      void listener.end().catch(() => {})
      if (this.listener === listener) this.listenLater()
    })
    await listener.connect()
    await listener.query(`LISTEN ${CHANNEL}`)
    // Appends made while nobody listened are found by the first read or the next poll.
    this.notifier.notify()
  }
}

async function createSchema(pool: pg.Pool): Promise<void> {
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK])
    await client.query(SCHEMA)
    await client.query('COMMIT')
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  } finally {
    client.release()
  }
}

/** The event of a row, or undefined for a row another program wrote (no chained metadata of this port). */
function toRecorded(row: EventRow): RecordedEvent | undefined {
  const metadata = parseJson(row.metadata)
  if (!isChainedMetadata(metadata)) return undefined
  return { streamId: row.stream_id, revision: row.revision, position: Number(row.position), type: row.type, data: JSON.parse(row.data), metadata }
}

const recordedOf = (rows: EventRow[]): RecordedEvent[] => rows.flatMap(row => toRecorded(row) ?? [])

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** Network errors, and the server refusing or closing connections (SQLSTATE class 08, 57P0x, 53300). */
const UNAVAILABLE_CODES = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|08...|57P0[1-3]|53300)$/
const UNAVAILABLE_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/

function isUnavailable(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown }
  return (typeof code === 'string' && UNAVAILABLE_CODES.test(code)) || (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message))
}

async function unavailableOnFailure<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation()
  } catch (error) {
    throw isUnavailable(error) && !(error instanceof EventLogUnavailable) ? new EventLogUnavailable(error) : error
  }
}
