/** A product's events straight from the log (personal data opened), up to a moment when one is given. */
import { streams } from '../domain/ids.ts'
import type { EventLog, RecordedEvent } from '../eventlog/port.ts'
import { happenedBy, type Moment } from './moments.ts'

export async function productHistory(log: EventLog, productId: string, until?: Moment): Promise<RecordedEvent[]> {
  const events = await log.readStream(streams.product(productId))
  return until === undefined ? events : events.filter(event => happenedBy(event, until))
}
