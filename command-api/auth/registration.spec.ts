import t from 'tap'
import { CLAIM_HOLD_MINUTES } from '../../domain/claim/decide.ts'
import type { EventLog } from '../../eventlog/port.ts'
import { isProblem, testApp } from '../testing/specSupport.ts'
import { claimEmail, emailHashOf, userIdForEmail } from './email.ts'
import { registerAccount } from './registration.ts'

let now = new Date('2025-03-01T09:00:00.000Z')
const { app, ctx } = await testApp(t, { clock: () => now })

const register = (email: string) =>
  app.inject({ method: 'POST', url: '/api/auth/register', payload: { email, password: 'a long password', displayName: 'Ines' } })
const metadata = (userId: string) => ({ actorId: userId, roles: [], now: now.toISOString(), correlationId: 'c', causationId: 'c' })

/** The log, but every append to a user stream fails, as a crash between the two appends would. */
const failingAccountAppends = (log: EventLog): EventLog => ({
  ...log,
  readStream: log.readStream.bind(log),
  readAll: log.readAll.bind(log),
  headPosition: log.headPosition.bind(log),
  append: (streamId, events, expected) =>
    streamId.startsWith('user-') ? Promise.reject(new Error('the disk is full')) : log.append(streamId, events, expected),
})

t.test('a registration whose account append fails leaves its email free, not claimed by no account', async t => {
  const email = 'ines@example.test'
  const failing = { ...ctx, eventLog: failingAccountAppends(ctx.eventLog) }
  const account = { email, password: 'a long password', displayName: 'Ines', accountType: 'consumer' as const, roles: ['consumer' as const] }
  await t.rejects(registerAccount(failing, 'user-that-failed', account, metadata('user-that-failed')), /the disk is full/)
  t.equal(await userIdForEmail(ctx, emailHashOf(ctx, email)), null, 'the claim is released')
  t.equal((await register(email)).statusCode, 201, 'and the email registers at once')
})

t.test('a claim whose registration stopped before its account holds the email for a while, then lapses', async t => {
  const email = 'otto@example.test'
  await claimEmail(ctx, emailHashOf(ctx, email), 'user-that-stopped', metadata('user-that-stopped'))
  t.ok(isProblem(await register(email), 409), 'taken while that registration may still complete')
  now = new Date(now.getTime() + CLAIM_HOLD_MINUTES * 60_000)
  const registered = await register(email)
  t.equal(registered.statusCode, 201, 'free once the hold is over')
  t.equal(await userIdForEmail(ctx, emailHashOf(ctx, email)), registered.json().userId)
})

t.test('an email held by an account stays taken', async t => {
  t.equal((await register('maud@example.test')).statusCode, 201)
  now = new Date(now.getTime() + 24 * 60 * 60_000)
  t.ok(isProblem(await register('Maud@Example.test'), 409))
})
