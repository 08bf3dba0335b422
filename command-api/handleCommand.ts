/**
 * The one command handler every write route uses: load the stream, fold it, decide, append with the
 * expected revision. A lost race is retried once from a fresh read, unless the client pinned the revision
 * with If-Match, in which case a stale revision is a 412.
 *
 * Loading starts from the stream cache (streamCache.ts) when it holds the stream: only the events after the
 * cached revision are read and folded. The append's expected revision keeps that safe; a conflict drops the
 * entry, and the retry reads the whole stream.
 */
import { fold, type Decider, type DomainCommand, type DomainEvent } from '../domain/decider.ts'
import { WrongExpectedRevision, type EventLog, type NewEvent } from '../eventlog/port.ts'
import { readDomainEvents } from '../eventlog/domainEvents.ts'
import { cacheable, streamCacheOf, type StreamCache } from './streamCache.ts'

export interface CommandMetadata {
  correlationId: string
  /** The id of what caused this command (the request id, or the event a process reacted to). */
  causationId: string
}

export interface HandleOptions<Event extends DomainEvent = DomainEvent, State = unknown> {
  /** The stream revision the client last saw (If-Match); a different current revision fails with StaleRevision. */
  ifMatch?: number
  newEventId: () => string
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
    readonly actual: number,
  ) {
    super(`the product is at revision ${actual}, not ${expected}`)
    this.name = 'StaleRevision'
  }
}

export async function handleCommand<Command extends DomainCommand, Event extends DomainEvent, State>(
  log: EventLog,
  streamId: string,
  decider: Decider<Command, Event, State>,
  command: Command,
  metadata: CommandMetadata,
  options: HandleOptions<Event, State>,
): Promise<HandleResult<Event, State>> {
  const cache = options.cache === undefined ? streamCacheOf(log) : options.cache || undefined

  const attempt = async (useCache: boolean): Promise<HandleResult<Event, State>> => {
    const cached = useCache ? cache?.get(streamId) : undefined
    const from = cached && cached.decider === decider ? cached : undefined
    const recorded = await readDomainEvents<Event>(log, streamId, from ? { fromRevision: from.revision + 1 } : undefined)
    const revision = from ? from.revision + recorded.length : recorded.length - 1
    const position = recorded.at(-1)?.position ?? from?.position ?? 0
    if (options.ifMatch !== undefined && options.ifMatch !== revision) throw new StaleRevision(options.ifMatch, revision)

    const state = from ? recorded.reduce(decider.evolve, from.state as State) : fold(decider, recorded)
    const keep = cache !== undefined && recorded.every(event => cacheable(event.type))
    if (keep) cache.set(streamId, { revision, position, state, decider })
    else if (cached) cache?.delete(streamId)

    const newEvents = decider.decide(command, state)
    const newState = newEvents.reduce(decider.evolve, state)
    if (newEvents.length === 0) return { newEvents, newState, revision, position }
    await options.beforeAppend?.(newEvents, state)

    const toAppend: NewEvent[] = newEvents.map(event => ({
      type: event.type,
      data: event.data as Record<string, unknown>,
      metadata: {
        eventId: options.newEventId(),
        occurredAt: command.metadata.now,
        actorId: command.metadata.actorId,
        correlationId: metadata.correlationId,
        causationId: metadata.causationId,
        schemaVersion: options.schemaVersion ?? 1,
      },
    }))
    const appended = await log.append(streamId, toAppend, revision < 0 ? 'no_stream' : revision)
    // An append that returned an earlier result (same event ids) did not append these events: read afresh next time.
    if (keep && appended.nextRevision === revision + newEvents.length && newEvents.every(event => cacheable(event.type)))
      cache.set(streamId, { revision: appended.nextRevision, position: appended.position, state: newState, decider })
    else cache?.delete(streamId)
    return { newEvents, newState, revision: appended.nextRevision, position: appended.position }
  }

  try {
    return await attempt(true)
  } catch (error) {
    if (!(error instanceof WrongExpectedRevision)) throw error
    cache?.delete(streamId)
    if (options.ifMatch !== undefined) throw error
    return attempt(false)
  }
}
