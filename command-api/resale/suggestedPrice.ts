/** The price suggestion a new listing records, from the product's state as its stream tells it. */
import type { AppContext } from '../../app/context.ts'
import { fold } from '../../domain/decider.ts'
import { streams } from '../../domain/ids.ts'
import type { Money } from '../../domain/money.ts'
import type { Condition, ProductEvent } from '../../domain/product/events.ts'
import { productDecider } from '../../domain/product/index.ts'
import { suggestPrice } from '../../domain/resale/pricing.ts'

export async function suggestedPrice(ctx: AppContext, productId: string, condition: Condition, now: string): Promise<Money | null> {
  const events = (await ctx.eventLog.readStream(streams.product(productId))) as unknown as ProductEvent[]
  const state = fold(productDecider, events)
  if (!state.exists) return null
  // owners = [brand, …, seller]: neither the brand nor the seller counts as a previous owner.
  const previousOwners = Math.max(0, state.owners.length - 2)
  const { originalPrice, createdAt } = state
  return suggestPrice({ originalPrice, createdAt, now, condition, previousOwners })?.suggested ?? null
}
