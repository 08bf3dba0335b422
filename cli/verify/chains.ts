/**
 * Walks events as stored, in log order, and checks what the hash chain promises: positions increase, each
 * stream's revisions run 0, 1, 2… without a gap, and each event links to the hash of the one before it in its
 * stream and still matches its own hash. Stops at the first broken link.
 */
import { GENESIS_HASH, checkLink, type BrokenLink } from '../../eventlog/hashChain.ts'
import type { RecordedEvent } from '../../eventlog/port.ts'

export interface Break {
  streamId: string
  revision: number
  eventId: string
  position: number
  reason: BrokenLink['reason'] | 'position'
}

export interface ChainReport {
  events: number
  streams: number
  lastPosition: number
  broken: Break | null
}

export const REASONS: Record<Break['reason'], string> = {
  position: 'its position does not come after the previous event in the log',
  revision: 'its revision does not follow the previous event of its stream (an event is missing or out of order)',
  prevHash: 'it does not link to the hash of the previous event of its stream',
  hash: 'its content (type, data or metadata) no longer matches its hash',
}

export async function checkChains(events: AsyncIterable<RecordedEvent> | Iterable<RecordedEvent>): Promise<ChainReport> {
  const heads = new Map<string, { revision: number; hash: string }>()
  let count = 0
  let lastPosition = 0
  for await (const event of events) {
    const head = heads.get(event.streamId)
    const reason =
      event.position <= lastPosition
        ? 'position'
        : event.revision !== (head?.revision ?? -1) + 1
          ? 'revision'
          : checkLink(head?.hash ?? GENESIS_HASH, event)?.reason
    if (reason) {
      const { streamId, revision, position } = event
      return { events: count, streams: heads.size, lastPosition, broken: { streamId, revision, position, eventId: event.metadata.eventId, reason } }
    }
    heads.set(event.streamId, { revision: event.revision, hash: event.metadata.hash })
    count++
    lastPosition = event.position
  }
  return { events: count, streams: heads.size, lastPosition, broken: null }
}
