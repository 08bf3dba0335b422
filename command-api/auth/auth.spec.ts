import t from 'tap'
import { streams } from '../../domain/ids.ts'
import { registerUser } from '../../test/testing/harness.ts'
import { isProblem, testApp } from '../testing/specSupport.ts'

const { app, ctx } = await testApp(t)
const login = (email: string, password: string) => app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } })

t.test('the password hash is stored sealed, and login still checks it', async t => {
  const user = await registerUser(app)
  const [registered] = await ctx.rawEventLog.readStream(streams.user(user.userId))
  t.equal(registered?.type, 'UserRegistered')
  t.notOk('passwordHash' in registered!.data, 'the raw log holds no password hash')
  t.ok(registered!.data.personalData, 'it is in the sealed envelope')
  t.notOk(JSON.stringify(registered).includes('scrypt'), 'nor any trace of one')
  t.equal((await login(user.email, user.password)).statusCode, 200, 'the right password')
  t.ok(isProblem(await login(user.email, `${user.password}-not`), 401), 'a wrong one')
})

t.test('without the user’s key the account is unusable: 401, not an error', async t => {
  const user = await registerUser(app)
  await ctx.keys.delete(user.userId)
  t.ok(isProblem(await login(user.email, user.password), 401))
})
