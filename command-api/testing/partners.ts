/** Partner accounts and their API keys for the specs of lifecycle records and passport views. */
import type { FastifyInstance } from 'fastify'
import type { ApiKeyScope } from '../../adapters/ports.ts'
import { registerUser, type TestUser } from '../../test/testing/harness.ts'
import { call } from './specSupport.ts'

export async function newKey(app: FastifyInstance, as: TestUser, scopes: ApiKeyScope[], name = 'workshop'): Promise<{ keyId: string; apiKey: string }> {
  const response = await call(app, 'POST', '/partners/keys', { as, payload: { name, scopes } })
  if (response.statusCode !== 201) throw new Error(`key failed: ${response.statusCode} ${response.body}`)
  return response.json()
}

export const withKey = (apiKey: string) => ({ headers: { 'x-api-key': apiKey } })

/** A brand, an owner and a partner of each kind. */
export const cast = async (app: FastifyInstance) => {
  const [brand, owner, stranger, repairer, reseller, recycler, authority] = await Promise.all([
    registerUser(app, { accountType: 'brand' }),
    registerUser(app),
    registerUser(app),
    registerUser(app, { roles: ['repairer'], displayName: 'Zip Clinic' }),
    registerUser(app, { roles: ['reseller'], displayName: 'Second Round' }),
    registerUser(app, { roles: ['recycler'], displayName: 'Fibre Loop' }),
    registerUser(app, { roles: ['authority'], displayName: 'Market Surveillance' }),
  ])
  return { brand, owner, stranger, repairer, reseller, recycler, authority }
}
