/**
 * A product's passport read straight from the event log: its recorded events, the state the product
 * decider folds from them, and who of its owners may be shown. History, live updates and the public page
 * all present events through this.
 */
import type { AppContext } from '../../app/context.ts'
import { streams } from '../../domain/ids.ts'
import type { ProductState } from '../../domain/product/index.ts'
import type { RecordedEvent } from '../../eventlog/port.ts'
import { foldProduct } from '../../shared/foldProduct.ts'
import { visibilityOf } from '../../domain/product/consent.ts'
import { loadPeople, type People } from './people.ts'

export interface Passport {
  productId: string
  events: RecordedEvent[]
  /** Stream revision of the last event. */
  revision: number
  /** The current state: latest consents and story statuses decide what the public sees of older events. */
  state: ProductState
  people: People
}

/** null when the product does not exist. */
export async function loadPassport(ctx: AppContext, productId: string): Promise<Passport | null> {
  const events = await ctx.eventLog.readStream(streams.product(productId))
  const state = foldProduct(events)
  if (!state.exists) return null
  const visibilities = new Map(state.owners.map(({ ownerId }) => [ownerId, visibilityOf(state, ownerId)]))
  return { productId, events, revision: events.length - 1, state, people: await loadPeople(ctx, visibilities) }
}
