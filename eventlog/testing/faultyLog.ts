/** A log whose subscriptions fail on cue, to test the subscribers that must survive it. */
import type { EventLog } from '../port.ts'

export interface SubscriptionFault {
  /** Events the subscription delivers before it fails. */
  after: number
  /** 'throw': as a lost connection does; 'end': as a server closing the subscription does. */
  fault: 'throw' | 'end'
}

export interface FaultyLog extends EventLog {
  /** How many subscriptions were opened. */
  readonly subscriptions: number
}

/** `log`, whose n-th subscription fails as `faults[n]` says; the subscriptions after the last fault run normally. */
export function faultyLog(log: EventLog, faults: readonly SubscriptionFault[]): FaultyLog {
  let subscriptions = 0
  return {
    append: (streamId, events, expected) => log.append(streamId, events, expected),
    readStream: (streamId, options) => log.readStream(streamId, options),
    readAll: options => log.readAll(options),
    async *subscribe(options) {
      const planned = faults[subscriptions++]
      if (!planned) return yield* log.subscribe(options)
      let delivered = 0
      if (planned.after > 0) {
        for await (const event of log.subscribe(options)) {
          yield event
          if (++delivered === planned.after) break
        }
      }
      if (options?.signal?.aborted) return
      if (planned.fault === 'throw') throw new Error('injected: the subscription failed')
    },
    headPosition: () => log.headPosition(),
    close: () => log.close(),
    get subscriptions() {
      return subscriptions
    },
  }
}
