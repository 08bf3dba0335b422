/** Whether a position from outside (a client's Last-Event-ID, a cursor, a command line) is one this log can resume after. */
import type { EventLog } from './port.ts'

/** Throws InvalidPosition unless `position` is 0 or an event's position in `log`: readAll refuses any other,
 *  so reading one event asks the log. */
export async function assertEventPosition(log: EventLog, position: number): Promise<void> {
  for await (const _event of log.readAll({ after: position, maxCount: 1 })) break
}
