/**
 * The rules every adapter applies before it writes: the expected-revision check, and KurrentDB's
 * idempotency rule for a batch sent again (a client retrying after a lost answer).
 *
 * - expected is a revision or 'no_stream', and the stream has moved past it: the append is a retry when
 *   the events right after `expected` carry the batch's eventIds, in order. Otherwise it conflicts.
 * - expected is 'any' or 'stream_exists': the append is a retry when the stream already holds the batch's
 *   first eventId and the batch's eventIds follow from there, in order. When only some match, it conflicts.
 * A retry returns the earlier result and writes nothing.
 */
import { WrongExpectedRevision, type AppendResult, type ExpectedRevision, type NewEvent } from './port.ts'

/** The stream revision an earlier copy of this batch would start at, when the append may be a retry.
 *  `current` is the stream's last revision (-1: no stream); `revisionOfFirstEvent` finds the batch's first
 *  eventId in the stream. */
export function retryStart(
  expected: ExpectedRevision,
  current: number,
  revisionOfFirstEvent: () => number | undefined,
): number | undefined {
  if (expected === 'any' || expected === 'stream_exists') return revisionOfFirstEvent()
  const start = expected === 'no_stream' ? 0 : expected + 1
  return start <= current ? start : undefined
}

/** The earlier result when `stored` (the stream's events from retryStart on, in order) holds the batch. */
export function earlierResult(
  events: readonly NewEvent[],
  stored: readonly { revision: number; position: number; eventId: string }[],
): AppendResult | undefined {
  const last = stored[events.length - 1]
  if (!last || events.some((event, index) => stored[index]?.eventId !== event.metadata.eventId)) return undefined
  return { nextRevision: last.revision, position: last.position }
}

export function satisfies(expected: ExpectedRevision, current: number): boolean {
  switch (expected) {
    case 'any':
      return true
    case 'no_stream':
      return current < 0
    case 'stream_exists':
      return current >= 0
    default:
      return current === expected
  }
}

export const conflict = (streamId: string, expected: ExpectedRevision, current: number): WrongExpectedRevision =>
  new WrongExpectedRevision(streamId, expected, current < 0 ? 'no_stream' : current)

export function assertNotEmpty(streamId: string, events: readonly NewEvent[]): void {
  if (events.length === 0) throw new RangeError(`nothing to append to ${streamId}`)
}
