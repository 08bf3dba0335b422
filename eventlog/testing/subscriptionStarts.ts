/** A log that tells where each of its subscriptions starts, to test where a subscriber picks the log up. */
import type { EventLog, SubscribeOptions } from '../port.ts'

export function subscriptionStarts(log: EventLog): { log: EventLog; starts: (number | undefined)[] } {
  const starts: (number | undefined)[] = []
  const subscribe = (options?: SubscribeOptions) => {
    starts.push(options?.after)
    return log.subscribe(options)
  }
  return { log: new Proxy(log, { get: (target, name) => (name === 'subscribe' ? subscribe : Reflect.get(target, name)) }), starts }
}
