/**
 * Expires resale reservations by itself: at each pending reservation's expiry it sends ExpireReservation, so the
 * listing reads active again without waiting for the next command. Correctness never depends on it: the decider
 * already treats an expired reservation as gone, and refuses a second expiry, so every instance may run it.
 *
 * It starts from durable state, not from the start of the log: the pending transactions of the transactions read
 * model, then the log after that projection's checkpoint (read first: its documents are never behind it), so
 * its start costs the open reservations and the projectors' lag, whatever the log's length. The read model only
 * says when to ask; whether a reservation has expired is the decider's to say, from the product's stream.
 */
import type { AppContext } from '../app/context.ts'
import { DomainError } from '../domain/errors.ts'
import { streams } from '../domain/ids.ts'
import type { ExpireReservation } from '../domain/product/commands.ts'
import type { ListingReserved, ProductEvent } from '../domain/product/events.ts'
import { productDecider } from '../domain/product/index.ts'
import { toDomainEvent } from '../eventlog/domainEvents.ts'
import { Backoff, follow, type RetryDelays } from '../eventlog/follow.ts'
import type { RecordedEvent } from '../eventlog/port.ts'
import { handleCommand, type CommandMetadata } from './handleCommand.ts'

export const SYSTEM_ACTOR = 'system'

/** setTimeout's longest delay; a later expiry simply fires early and is scheduled again. */
const MAX_DELAY_MS = 2 ** 31 - 1
/** Wait before trying again when the clock had not reached the expiry yet, or the append failed. */
const RETRY_MS = 1000

export interface ExpiryLog {
  warn(details: object, message: string): void
}

type Reservation = Pick<ListingReserved['data'], 'productId' | 'transactionId' | 'expiresAt'> & {
  /** The reservation's event, when it came from the log; one learned from the read model finds it at expiry. */
  cause?: RecordedEvent
}

/** The reservations a read model holds open, and the log position it has applied (its documents are never behind it). */
export interface OpenReservations {
  after: number
  pending: Reservation[]
}

/** The command side's ports, and where the open reservations are read (the read side's, given by the app). */
export type ExpiryContext = Pick<AppContext, 'eventLog' | 'rawEventLog' | 'clock' | 'newId'> & {
  openReservations: () => Promise<OpenReservations>
}

/** Starts expiring reservations; the returned function stops it and waits for any expiry under way. */
export function start(ctx: ExpiryContext, log?: ExpiryLog, retryMs?: RetryDelays): () => Promise<void> {
  const abort = new AbortController()
  const timers = new Map<string, NodeJS.Timeout>()
  const underWay = new Set<Promise<void>>()

  const forget = (transactionId: string) => {
    clearTimeout(timers.get(transactionId))
    timers.delete(transactionId)
  }

  const schedule = (reservation: Reservation, atLeastMs = 0) => {
    forget(reservation.transactionId)
    const dueInMs = Date.parse(reservation.expiresAt) - ctx.clock().getTime()
    const delay = Math.min(MAX_DELAY_MS, Math.max(atLeastMs, dueInMs))
    const timer = setTimeout(() => {
      const expiring = expire(reservation).finally(() => underWay.delete(expiring))
      underWay.add(expiring)
    }, delay)
    timers.set(reservation.transactionId, timer)
  }

  /** The expiry is caused by the reservation's event; null when the product's stream has none (nothing to expire). */
  async function causeOf({ productId, transactionId, cause }: Reservation): Promise<CommandMetadata | null> {
    const reserved =
      cause ??
      (await ctx.rawEventLog.readStream(streams.product(productId), { direction: 'backwards' })).find(
        event => event.type === 'ListingReserved' && event.data.transactionId === transactionId,
      )
    return reserved ? { correlationId: reserved.metadata.correlationId, causationId: reserved.metadata.eventId } : null
  }

  async function expire(reservation: Reservation): Promise<void> {
    const { productId, transactionId } = reservation
    timers.delete(transactionId)
    try {
      const metadata = await causeOf(reservation)
      if (!metadata) return
      const command: ExpireReservation = {
        type: 'ExpireReservation',
        data: { productId, transactionId },
        metadata: { actorId: SYSTEM_ACTOR, roles: [], now: ctx.clock().toISOString() },
      }
      const result = await handleCommand({ log: ctx.eventLog, streamId: streams.product(productId), decider: productDecider, command, metadata, newEventId: ctx.newId })
      if (result.newState.transactions[transactionId]?.status === 'pending' && !abort.signal.aborted) schedule(reservation, RETRY_MS)
    } catch (error) {
      if (abort.signal.aborted || error instanceof DomainError) return
      log?.warn({ err: error, transactionId }, 'reservation expiry failed; trying again')
      schedule(reservation, RETRY_MS)
    }
  }

  /** Schedules the read model's pending reservations; returns the position the log is to be followed after. */
  async function scheduleOpenReservations(): Promise<number> {
    const backoff = new Backoff(retryMs)
    while (!abort.signal.aborted) {
      try {
        const { after, pending } = await ctx.openReservations()
        for (const reservation of pending) schedule(reservation)
        return after
      } catch (error) {
        if (abort.signal.aborted) break
        log?.warn({ err: error }, 'reservation expiry could not read the open reservations; trying again')
        await backoff.wait(abort.signal)
      }
    }
    return 0
  }

  const following = (async () => {
    const after = await scheduleOpenReservations()
    const onError = (error: unknown) => log?.warn({ err: error }, 'reservation expiry lost the log; following it again')
    // Reservation events hold no personal data: the raw log spares decrypting every event.
    for await (const recorded of follow(ctx.rawEventLog, { after, signal: abort.signal, retryMs, onError })) {
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
