/**
 * The one command handler every write route uses: load the stream, fold it, decide, append with the
 * expected revision. A lost race is retried once from a fresh read, unless the client pinned the revision
 * with If-Match, in which case a stale revision is a 412.
 */
import { fold, type Decider, type DomainCommand, type DomainEvent } from '../domain/decider.ts'
import { WrongExpectedRevision, type EventLog, type NewEvent } from '../eventlog/port.ts'
import { readDomainEvents } from './readDomainEvents.ts'

export interface CommandMetadata {
  correlationId: string
  /** The id of what caused this command (the request id, or the event a process reacted to). */
  causationId: string
}

export interface HandleOptions {
  /** The stream revision the client last saw (If-Match); a different current revision fails with StaleRevision. */
  ifMatch?: number
  newEventId: () => string
  schemaVersion?: number
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
  options: HandleOptions,
): Promise<HandleResult<Event, State>> {
  const attempt = async (): Promise<HandleResult<Event, State>> => {
    const recorded = await readDomainEvents<Event>(log, streamId)
    const revision = recorded.length - 1
    if (options.ifMatch !== undefined && options.ifMatch !== revision) throw new StaleRevision(options.ifMatch, revision)

    const state = fold(decider, recorded)
    const newEvents = decider.decide(command, state)
    const newState = newEvents.reduce(decider.evolve, state)
    if (newEvents.length === 0) return { newEvents, newState, revision, position: recorded.at(-1)?.position ?? 0 }

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
    return { newEvents, newState, revision: appended.nextRevision, position: appended.position }
  }

  try {
    return await attempt()
  } catch (error) {
    if (!(error instanceof WrongExpectedRevision) || options.ifMatch !== undefined) throw error
    return attempt()
  }
}
