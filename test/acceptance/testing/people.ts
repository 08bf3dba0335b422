/** The people of a walk: each signs up and logs in as a client would, the assertions on the way included. */
import type { Test } from 'tap'
import type { Client, Person } from './client.ts'
import { ADMIN } from './server.ts'

let signedUp = 0

export interface SignUp {
  displayName: string
  /** A brand account needs its brandName; the admin then verifies it, with these GS1 Company Prefixes. */
  brandName?: string
  gs1CompanyPrefixes?: string[]
}

export async function logIn(t: Test, api: Client, email: string, password: string): Promise<Person> {
  const session = await api.call(t, 'POST /api/auth/login', { body: { email, password } })
  t.match(session, { accessToken: String, tokenType: 'Bearer', expiresIn: Number, user: { userId: String, email, displayName: String, roles: Array } })
  const { userId, displayName } = session.user
  return { userId, displayName, email, password, token: session.accessToken }
}

export async function signUp(t: Test, api: Client, { displayName, brandName, gs1CompanyPrefixes = [] }: SignUp): Promise<Person> {
  const email = `${displayName.toLowerCase().replace(/\W+/g, '.')}.${++signedUp}@walk.test`
  const password = `${displayName} likes long passwords`
  const body = { email, password, displayName, ...(brandName && { accountType: 'brand', brandName }) }
  const account = await api.call(t, 'POST /api/auth/register', { body }, 201)
  t.match(account, { userId: String, email, displayName, roles: ['consumer'] }, `${displayName} registered`)
  if (brandName) {
    t.match(account.brand, { brandName, status: 'pending' }, `${brandName} waits for verification`)
    const admin = await logInAsAdmin(t, api)
    const verification = { decision: 'approve', gs1CompanyPrefixes }
    const verified = await api.call(t, `POST /api/admin/brands/${account.userId}/verification`, { as: admin, body: verification })
    t.match(verified, { userId: account.userId, brandName, status: 'verified', gs1CompanyPrefixes }, `${brandName} verified by the admin`)
  }
  return logIn(t, api, email, password)
}

export const logInAsAdmin = (t: Test, api: Client): Promise<Person> => logIn(t, api, ADMIN.email, ADMIN.password)
