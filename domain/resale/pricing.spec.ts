import t from 'tap'
import { fold } from '../decider.ts'
import { MAX_MONEY_AMOUNT } from '../money.ts'
import { ALICE, BOB, CREATED_AT, created, ownedByAlice, passport, transferred } from '../product/testing/fixtures.ts'
import { productDecider, type ProductEvent } from '../product/index.ts'
import { monthsBetween, suggestPrice, suggestPriceFor, type PricingInput } from './pricing.ts'

const input = (overrides: Partial<PricingInput> = {}): PricingInput => ({
  originalPrice: { amount: 10_000, currency: 'EUR' },
  createdAt: '2024-01-15T10:00:00Z',
  now: '2024-01-20T10:00:00Z',
  condition: 'new',
  previousOwners: 0,
  ...overrides,
})
const eur = (amount: number) => ({ amount, currency: 'EUR' })

t.test('counts whole calendar months', async t => {
  t.equal(monthsBetween('2024-01-15T10:00:00Z', '2024-02-15T09:59:59Z'), 0)
  t.equal(monthsBetween('2024-01-15T10:00:00Z', '2024-02-15T10:00:00Z'), 1)
  t.equal(monthsBetween('2024-01-31T00:00:00Z', '2025-01-31T00:00:00Z'), 12)
  t.equal(monthsBetween('2024-03-01T00:00:00Z', '2024-01-01T00:00:00Z'), 0)
  t.equal(monthsBetween('not a date', '2024-01-01T00:00:00Z'), 0)
})

t.test('a new product sold new keeps its original price', async t => {
  t.same(suggestPrice(input()), {
    suggested: eur(10_000),
    low: eur(8500),
    high: eur(11_500),
    factors: [
      { name: 'age', effect: 0 },
      { name: 'condition', effect: 0 },
      { name: 'previous_owners', effect: 0 },
    ],
  })
})

t.test('age, condition and previous owners lower the price', async t => {
  const suggestion = suggestPrice(input({ now: '2025-01-15T10:00:00Z', condition: 'good', previousOwners: 2 }))
  t.same(suggestion?.suggested, eur(Math.round(10_000 * 0.76 * 0.7 * 0.9)))
  t.same(suggestion?.factors, [
    { name: 'age', effect: -0.24 },
    { name: 'condition', effect: -0.3 },
    { name: 'previous_owners', effect: -0.1 },
  ])
})

t.test('each loss has a floor', async t => {
  const suggestion = suggestPrice(input({ now: '2034-01-15T10:00:00Z', condition: 'fair', previousOwners: 50 }))
  t.same(suggestion?.suggested, eur(Math.round(10_000 * 0.3 * 0.5 * 0.8)))
})

t.test('amounts are whole minor units, never negative', async t => {
  const odd = suggestPrice(input({ originalPrice: eur(999), condition: 'like_new', now: '2024-08-15T10:00:00Z' }))
  for (const money of [odd?.suggested, odd?.low, odd?.high]) t.ok(Number.isInteger(money?.amount) && money!.amount >= 0)
  const negative = suggestPrice(input({ originalPrice: eur(-500), previousOwners: -3 }))
  t.same(negative?.suggested, eur(0))
  t.same(suggestPrice(input({ originalPrice: eur(0) }))?.high, eur(0))
})

t.test('keeps the currency', async t => {
  t.equal(suggestPrice(input({ originalPrice: { amount: 5000, currency: 'SEK' } }))?.low.currency, 'SEK')
})

t.test('no original price, no suggestion', async t => {
  t.equal(suggestPrice(input({ originalPrice: undefined })), null)
})

t.test('no amount steps past what Money may hold', async t => {
  const top = suggestPrice(input({ originalPrice: eur(MAX_MONEY_AMOUNT) }))
  t.same([top?.suggested, top?.low, top?.high], [eur(MAX_MONEY_AMOUNT), eur(850_000_000_000), eur(MAX_MONEY_AMOUNT)], 'high is clamped')
  t.same(suggestPrice(input({ originalPrice: eur(10 * MAX_MONEY_AMOUNT) }))?.suggested, eur(MAX_MONEY_AMOUNT))
})

t.test('suggestPriceFor reads the product state: its original price, age and previous owners', async t => {
  const at = '2025-01-01T00:00:00.000Z'
  const suggestion = (events: ProductEvent[]) => suggestPriceFor(fold(productDecider, events), 'good', at)
  const base = { originalPrice: eur(20_000), createdAt: CREATED_AT, now: at, condition: 'good' as const }
  t.same(suggestion(passport), suggestPrice({ ...base, previousOwners: 0 }), 'the brand sells: no previous owner')
  t.same(suggestion(ownedByAlice), suggestPrice({ ...base, previousOwners: 0 }), 'Alice sells: the brand does not count')
  const ownedByCarol = [...ownedByAlice, transferred(ALICE, BOB, '2024-07-01T00:00:00.000Z'), transferred(BOB, 'carol', '2024-08-01T00:00:00.000Z')]
  t.same(suggestion(ownedByCarol), suggestPrice({ ...base, previousOwners: 2 }), 'Carol sells: Alice and Bob before her')
  t.equal(suggestion([]), null, 'no product')
  t.equal(suggestion([created({ originalPrice: undefined })]), null, 'no original price')
})
