import { MAX_MONEY_AMOUNT, type Money } from '../money.ts'
import type { Condition } from '../product/events.ts'
import type { ProductState } from '../product/state.ts'

export interface PricingInput {
  originalPrice?: Money
  /** When the product was created (its passport's createdAt). */
  createdAt: string
  now: string
  condition: Condition
  /** Owners before the seller, the brand not counted: owners [brand, A, B(seller)] → 1. */
  previousOwners: number
}

export interface PriceFactor {
  name: 'age' | 'condition' | 'previous_owners'
  /** Signed share of the price this factor adds or removes: -0.24 is 24 % off. */
  effect: number
}

export interface PriceSuggestion {
  suggested: Money
  low: Money
  high: Money
  factors: PriceFactor[]
}

const MONTHLY_AGE_LOSS = 0.02
const MIN_AGE_MULTIPLIER = 0.3
const CONDITION_MULTIPLIER: Record<Condition, number> = { new: 1, like_new: 0.85, good: 0.7, fair: 0.5 }
const LOSS_PER_PREVIOUS_OWNER = 0.05
const MIN_OWNERS_MULTIPLIER = 0.8
const RANGE = 0.15

/** Whole calendar months from `from` to `to`, 0 when `to` is earlier or either time is unreadable. */
export const monthsBetween = (from: string, to: string): number => {
  const start = new Date(from)
  const end = new Date(to)
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) return 0
  const months = (end.getUTCFullYear() - start.getUTCFullYear()) * 12 + end.getUTCMonth() - start.getUTCMonth()
  const anniversary = new Date(start)
  anniversary.setUTCMonth(start.getUTCMonth() + months)
  return Math.max(0, anniversary > end ? months - 1 : months)
}

const effect = (multiplier: number): number => Math.round((multiplier - 1) * 100) / 100

/** Whole minor units within what Money may hold: `high` (15 % above) of a price near the maximum stays valid. */
const money = (amount: number, currency: string): Money => ({ amount: Math.min(MAX_MONEY_AMOUNT, Math.max(0, Math.round(amount))), currency })

/** A resale price suggestion, or null when the product has no original price to start from. */
export const suggestPrice = (input: PricingInput): PriceSuggestion | null => {
  if (!input.originalPrice) return null
  const { amount, currency } = input.originalPrice
  const multipliers = {
    age: Math.max(MIN_AGE_MULTIPLIER, 1 - MONTHLY_AGE_LOSS * monthsBetween(input.createdAt, input.now)),
    condition: CONDITION_MULTIPLIER[input.condition],
    previous_owners: Math.max(MIN_OWNERS_MULTIPLIER, 1 - LOSS_PER_PREVIOUS_OWNER * Math.max(0, input.previousOwners)),
  }
  const suggested = Math.max(0, amount) * multipliers.age * multipliers.condition * multipliers.previous_owners
  return {
    suggested: money(suggested, currency),
    low: money(suggested * (1 - RANGE), currency),
    high: money(suggested * (1 + RANGE), currency),
    factors: (Object.keys(multipliers) as PriceFactor['name'][]).map(name => ({ name, effect: effect(multipliers[name]) })),
  }
}

/** The previous owners a product's next sale counts: owners = [brand, …, current owner], and neither counts. */
export const previousOwnersOf = (state: Pick<ProductState, 'owners'>): number => Math.max(0, state.owners.length - 2)

/** The suggestion for selling the product as its stream tells it; null for no product, or none with an original price. */
export const suggestPriceFor = (state: ProductState, condition: Condition, now: string): PriceSuggestion | null => {
  if (!state.exists) return null
  const { originalPrice, createdAt } = state
  return suggestPrice({ originalPrice, createdAt, now, condition, previousOwners: previousOwnersOf(state) })
}
