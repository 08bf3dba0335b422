/**
 * Server-Sent Events fed by a log subscription. The SSE `id` of each message is the log position of the
 * event it came from, so a client reconnecting with `Last-Event-ID` resumes right after it: the log's
 * subscription is exclusive of its start, which gives no gap and no repeat.
 */
import { PassThrough } from 'node:stream'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { assertEventPosition } from '../../eventlog/checkPosition.ts'
import { follow } from '../../eventlog/follow.ts'
import { InvalidPosition, type EventLog, type RecordedEvent } from '../../eventlog/port.ts'
import { invalid, parsePosition } from '../../shared/positions.ts'

const RETRY_MS = 3000
/** How often a stream asks whether its client may still have it: a revoked token's stream ends within a second. */
const RECHECK_MS = 500

export interface ServeOptions {
  /** Asked every RECHECK_MS; the stream ends once it answers false (or fails). */
  stillAllowed?: () => Promise<boolean>
}

export class LiveStreams {
  readonly #open = new Set<AbortController>()

  constructor(private readonly heartbeatMs: number) {}

  /**
   * Answers with the events of `log` after the client's Last-Event-ID (or after now), each turned into a
   * message by `present`, which skips an event by returning null. Runs until the client disconnects.
   */
  async serve(
    request: FastifyRequest,
    reply: FastifyReply,
    log: EventLog,
    present: (event: RecordedEvent) => Promise<unknown>,
    { stillAllowed }: ServeOptions = {},
  ): Promise<FastifyReply> {
    const lastEventId = request.headers['last-event-id']
    const after = lastEventId === undefined ? await log.headPosition() : await resumePoint(log, String(lastEventId))
    const stopped = new AbortController()
    const body = new PassThrough()
    const write = (text: string) => {
      if (!stopped.signal.aborted) body.write(text)
    }
    const heartbeat = setInterval(() => write(': heartbeat\n\n'), this.heartbeatMs)
    const recheck = stillAllowed && setInterval(() => stillAllowed().then(allowed => allowed || stop(), stop), RECHECK_MS)
    const stop = () => {
      clearInterval(heartbeat)
      clearInterval(recheck)
      stopped.abort()
      this.#open.delete(stopped)
      if (!body.writableEnded) body.end()
    }
    this.#open.add(stopped)
    reply.raw.on('close', stop)

    const forward = async () => {
      const onError = (error: unknown) => request.log.warn({ err: error }, 'live stream lost the log; following it again')
      for await (const event of follow(log, { after, signal: stopped.signal, onError })) {
        const message = await present(event)
        if (message !== null) write(`id: ${event.position}\ndata: ${JSON.stringify(message)}\n\n`)
      }
    }
    forward()
      .catch(error => {
        if (!stopped.signal.aborted) request.log.error({ err: error }, 'live stream failed')
      })
      .finally(stop)

    // The first bytes flush the headers, so the client knows at once that the stream is open.
    write(`retry: ${RETRY_MS}\n\n`)
    return reply
      .header('content-type', 'text/event-stream; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('x-accel-buffering', 'no')
      .send(body)
  }

  /** Ends every open stream, so that closing the server does not wait for clients to hang up. */
  closeAll(): void {
    for (const stream of this.#open) stream.abort()
  }
}

const LAST_EVENT_ID = '/headers/last-event-id'

/** The client's Last-Event-ID, which must be an event's position in this log; a 400 otherwise. */
async function resumePoint(log: EventLog, lastEventId: string): Promise<number> {
  const position = parsePosition(lastEventId, LAST_EVENT_ID)
  try {
    await assertEventPosition(log, position)
  } catch (error) {
    if (error instanceof InvalidPosition) throw invalid(LAST_EVENT_ID, 'must be the id of an event this stream sent')
    throw error
  }
  return position
}
