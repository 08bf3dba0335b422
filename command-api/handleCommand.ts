/**
 * The one command handler every write uses: load the stream's state, decide, append with the expected
 * revision. A lost race is retried once from a fresh read, unless the client pinned the revision with
 * If-Match: then a stale revision, seen on load or at the append, is a StaleRevision (412).
 *
 * Loading starts from the stream cache (shared/streamCache.ts) when it holds the stream: only the events after the
 * cached revision are read and folded. The append's expected revision keeps that safe; a conflict drops the
 * entry, and the retry reads the whole stream.
 */
import type { Decider, DomainCommand, DomainEvent } from '../domain/decider.ts'
import { WrongExpectedRevision, type EventLog, type NewEvent } from '../eventlog/port.ts'
import { cacheable, loadStream, streamCacheOf, type StreamCache } from '../shared/streamCache.ts'

export interface CommandMetadata {
  correlationId: string
  /** The id of what caused this command (the request id, or the event a process reacted to). */
  causationId: string
}

export interface HandleCommand<Command extends DomainCommand, Event extends DomainEvent, State> {
  log: EventLog
  streamId: string
  decider: Decider<Command, Event, State>
  command: Command
  metadata: CommandMetadata
  newEventId: () => string
  /** The stream revision the client last saw (If-Match); any other revision fails with StaleRevision. */
  ifMatch?: number
  schemaVersion?: number
  /** The stream cache to start from and keep up to date; false reads the whole stream every time. Defaults to
   *  the one cache of `log`. */
  cache?: StreamCache | false
  /** Runs once the decision is made and before its events are appended: a refusal here appends nothing. Claims of
   *  unique keys (see claims.ts) go here, so they are written in the same command as what they guard. */
  beforeAppend?: (newEvents: Event[], state: State) => Promise<void>
}

export interface HandleResult<Event extends DomainEvent, State> {
  newEvents: Event[]
  newState: State
  /** Stream revision after the append (-1: the stream still does not exist). */
  revision: number
  /** Global position of the last event appended; of the stream's last event when nothing was appended. */
  position: number
}

/** The client's If-Match names another revision: 412. Its `kind` tells the HTTP edge (http/errors.ts) so. */
export class StaleRevision extends Error {
  readonly kind = 'stale_revision'
  constructor(
    readonly expected: number,
    readonly actual: number | 'moved on',
  ) {
    super(actual === 'moved on' ? `the product has changed since revision ${expected}` : `the product is at revision ${actual}, not ${expected}`)
    this.name = 'StaleRevision'
  }
}

type Stamping = Pick<HandleCommand<DomainCommand, DomainEvent, unknown>, 'command' | 'metadata' | 'newEventId' | 'schemaVersion'>

const toNewEvents = (events: readonly DomainEvent[], request: Stamping): NewEvent[] =>
  events.map(event => ({
    type: event.type,
    data: event.data as Record<string, unknown>,
    metadata: {
      eventId: request.newEventId(),
      occurredAt: request.command.metadata.now,
      actorId: request.command.metadata.actorId,
      correlationId: request.metadata.correlationId,
      causationId: request.metadata.causationId,
      schemaVersion: request.schemaVersion ?? 1,
    },
  }))

async function decideAndAppend<Command extends DomainCommand, Event extends DomainEvent, State>(
  request: HandleCommand<Command, Event, State>,
  cache: StreamCache | undefined,
  fresh: boolean,
): Promise<HandleResult<Event, State>> {
  const { log, streamId, decider, command, ifMatch } = request
  const loaded = await loadStream(log, streamId, decider, cache, { fresh })
  if (ifMatch !== undefined && ifMatch !== loaded.revision) throw new StaleRevision(ifMatch, loaded.revision)

  const newEvents = decider.decide(command, loaded.state)
  const newState = newEvents.reduce(decider.evolve, loaded.state)
  if (newEvents.length === 0) return { newEvents, newState, revision: loaded.revision, position: loaded.position }
  await request.beforeAppend?.(newEvents, loaded.state)

  const toAppend = toNewEvents(newEvents, request)
  const appended = await log.append(streamId, toAppend, loaded.revision < 0 ? 'no_stream' : loaded.revision)
  // An append that returned an earlier result (same event ids) did not append these events: read afresh next time.
  const appendedThese = appended.nextRevision === loaded.revision + newEvents.length
  if (loaded.cacheable && appendedThese && newEvents.every(event => cacheable(event.type)))
    cache?.set(streamId, { revision: appended.nextRevision, position: appended.position, state: newState, decider })
  else cache?.delete(streamId)
  return { newEvents, newState, revision: appended.nextRevision, position: appended.position }
}

export async function handleCommand<Command extends DomainCommand, Event extends DomainEvent, State>(
  request: HandleCommand<Command, Event, State>,
): Promise<HandleResult<Event, State>> {
  const cache = request.cache === undefined ? streamCacheOf(request.log) : request.cache || undefined
  try {
    return await decideAndAppend(request, cache, false)
  } catch (error) {
    if (!(error instanceof WrongExpectedRevision)) throw error
    cache?.delete(request.streamId)
    if (request.ifMatch !== undefined) throw new StaleRevision(request.ifMatch, 'moved on')
    return decideAndAppend(request, cache, true)
  }
}
