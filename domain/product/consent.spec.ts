import t from 'tap'
import { fold } from '../decider.ts'
import { DEFAULT_VISIBILITY, visibilityOf } from './consent.ts'
import { ALICE, BOB, BRAND, PRODUCT, ownedByAlice } from './testing/fixtures.ts'
import { productDecider } from './index.ts'

t.test('an owner is public until they change their consent; then their latest choice applies', async t => {
  t.equal(DEFAULT_VISIBILITY, 'public')
  const consented = fold(productDecider, [...ownedByAlice, { type: 'ConsentChanged', data: { productId: PRODUCT, ownerId: ALICE, visibility: 'hidden' } }])
  t.equal(visibilityOf(consented, BRAND), 'public')
  t.equal(visibilityOf(consented, ALICE), 'hidden')
  t.equal(visibilityOf(consented, BOB), 'public', 'for anyone: whether they owned the product is for the caller to ask')
})
