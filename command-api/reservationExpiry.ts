/**
 * Expires resale reservations by itself: it follows the log to learn each pending reservation and when it
 * runs out, and at that time sends ExpireReservation, so the listing reads active again without waiting for
 * the next command. Correctness never depends on it: the decider already treats an expired reservation as gone.
 */
import type { CommandApiContext } from '../app/context.ts'
import { DomainError } from '../domain/errors.ts'
import { streams } from '../domain/ids.ts'
import type { ExpireReservation } from '../domain/product/commands.ts'
import type { ListingReserved, ProductEvent } from '../domain/product/events.ts'
import { productDecider } from '../domain/product/index.ts'
import { toDomainEvent } from '../eventlog/domainEvents.ts'
import { follow, type RetryDelays } from '../eventlog/follow.ts'
import type { RecordedEvent } from '../eventlog/port.ts'
import { handleCommand } from './handleCommand.ts'

export const SYSTEM_ACTOR = 'system'

/** setTimeout's longest delay; a later expiry simply fires early and is scheduled again. */
const MAX_DELAY_MS = 2 ** 31 - 1
/** Wait before trying again when the clock had not reached the expiry yet, or the append failed. */
const RETRY_MS = 1000

export interface ExpiryLog {
  warn(details: object, message: string): void
}

type Reservation = Pick<ListingReserved['data'], 'productId' | 'transactionId' | 'expiresAt'> & { cause: RecordedEvent }

/** Starts following the log; the returned function stops it and waits for any expiry under way. */
export function start(ctx: CommandApiContext, log?: ExpiryLog, retryMs?: RetryDelays): () => Promise<void> {
  const abort = new AbortController()
  const timers = new Map<string, NodeJS.Timeout>()
  const underWay = new Set<Promise<void>>()

  const schedule = (reservation: Reservation, atLeastMs = 0) => {
    const dueInMs = Date.parse(reservation.expiresAt) - ctx.clock().getTime()
    const delay = Math.min(MAX_DELAY_MS, Math.max(atLeastMs, dueInMs))
    const timer = setTimeout(() => {
      const expiring = expire(reservation).finally(() => underWay.delete(expiring))
      underWay.add(expiring)
    }, delay)
    timers.set(reservation.transactionId, timer)
  }

  const forget = (transactionId: string) => {
    clearTimeout(timers.get(transactionId))
    timers.delete(transactionId)
  }

  async function expire(reservation: Reservation): Promise<void> {
    const { productId, transactionId, cause } = reservation
    timers.delete(transactionId)
    const command: ExpireReservation = {
      type: 'ExpireReservation',
      data: { productId, transactionId },
      metadata: { actorId: SYSTEM_ACTOR, roles: [], now: ctx.clock().toISOString() },
    }
    try {
      const causation = { correlationId: cause.metadata.correlationId, causationId: cause.metadata.eventId }
      const result = await handleCommand({ log: ctx.eventLog, streamId: streams.product(productId), decider: productDecider, command, metadata: causation, newEventId: ctx.newId })
      if (result.newState.transactions[transactionId]?.status === 'pending' && !abort.signal.aborted) schedule(reservation, RETRY_MS)
    } catch (error) {
      if (abort.signal.aborted || error instanceof DomainError) return
      log?.warn({ err: error, transactionId }, 'reservation expiry failed; trying again')
      schedule(reservation, RETRY_MS)
    }
  }

  const following = (async () => {
    const onError = (error: unknown) => log?.warn({ err: error }, 'reservation expiry lost the log; following it again')
    // Reservation events hold no personal data: the raw log spares decrypting every event.
    for await (const recorded of follow(ctx.rawEventLog, { signal: abort.signal, retryMs, onError })) {
      const event = toDomainEvent<ProductEvent>(recorded)
      if (event.type === 'ListingReserved') schedule({ ...event.data, cause: recorded })
      else if (event.type === 'ReservationCancelled' || event.type === 'ProductSold') forget(event.data.transactionId)
    }
  })()

  return async () => {
    abort.abort()
    for (const timer of timers.values()) clearTimeout(timer)
    timers.clear()
    await Promise.all([following, ...underWay])
  }
}
