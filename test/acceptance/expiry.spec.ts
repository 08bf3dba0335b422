/**
 * A reservation nobody pays for runs out by itself, over real HTTP against `npm start` configured with
 * RESERVATION_MINUTES=1: the listing is active again without anyone touching it, and a late payment fails.
 * Tokens live 20 seconds here (JWT_EXPIRES_IN), so by then Bob's has expired as well.
 */
import t from 'tap'
import { eventually } from './testing/client.ts'
import { logIn, signUp } from './testing/people.ts'
import { closeWalk, EUR, openWalk } from './testing/walk.ts'

const MINUTE = 60_000
t.setTimeout(3 * MINUTE)

const walk = await openWalk(t, { RESERVATION_MINUTES: '1', JWT_EXPIRES_IN: '20' })
const { api } = walk

t.test('Bob reserves a jacket and never pays: a minute later it is for sale again', async t => {
  const brand = await signUp(t, api, { displayName: 'Ola', brandName: 'Slow Fashion' })
  const bob = await signUp(t, api, { displayName: 'Bob' })
  const { productId } = await api.call(t, 'POST /api/products', { as: brand, body: { name: 'Rain jacket', originalPrice: EUR(15_000) } }, 201)
  const { listingId } = await api.call(t, 'POST /api/resale/listings', { as: brand, body: { productId, price: EUR(9_000), condition: 'new' } }, 201)

  const reservation = await api.call(t, 'POST /api/resale/transactions', { as: bob, body: { listingId } }, 201)
  const minutes = (Date.parse(reservation.expiresAt) - Date.now()) / MINUTE
  t.ok(minutes > 0.9 && minutes <= 1, 'the reservation holds for RESERVATION_MINUTES', { expiresAt: reservation.expiresAt })
  t.match(await api.call(t, `GET /api/resale/listings/${listingId}`), { status: 'reserved' })

  const released = await eventually(
    () => api.send(`GET /api/resale/listings/${listingId}`),
    reply => reply.json?.status === 'active',
    { timeoutMs: 2 * MINUTE, intervalMs: 1000 },
  )
  t.equal(released.json?.status, 'active', 'the listing is active again by itself')
  t.ok(Date.now() >= Date.parse(reservation.expiresAt), 'not before the reservation ran out')

  const expired = await api.refused(t, 'GET /api/auth/verify', { as: bob }, 401)
  t.match(expired.detail, /expired/, 'his token has expired meanwhile')
  const again = await logIn(t, api, bob.email, bob.password)
  t.match(await api.call(t, `GET /api/resale/transactions/${reservation.transactionId}`, { as: again }), { status: 'expired' })
  await api.refused(t, `POST /api/resale/transactions/${reservation.transactionId}/confirm`, { as: again, body: { paymentReference: 'late' } }, 409)
  await api.call(t, 'POST /api/resale/transactions', { as: again, body: { listingId } }, 201)
})

closeWalk(t, walk)
