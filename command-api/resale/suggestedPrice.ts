/** The price suggestion a new listing records, from the product's state as its stream tells it. */
import type { CommandApiContext } from '../../app/context.ts'
import { fold } from '../../domain/decider.ts'
import { streams } from '../../domain/ids.ts'
import type { Money } from '../../domain/money.ts'
import type { Condition } from '../../domain/product/events.ts'
import { productDecider, type ProductEvent } from '../../domain/product/index.ts'
import { suggestPriceFor } from '../../domain/resale/pricing.ts'
import { readDomainEvents } from '../../eventlog/domainEvents.ts'

export async function suggestedPrice(ctx: CommandApiContext, productId: string, condition: Condition, now: string): Promise<Money | null> {
  const state = fold(productDecider, await readDomainEvents<ProductEvent>(ctx.eventLog, streams.product(productId)))
  return suggestPriceFor(state, condition, now)?.suggested ?? null
}
