/** Partners' API keys: POST /partners/keys (shown once), GET /partners/keys, DELETE /partners/keys/{keyId}. */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { CommandApiContext } from '../../app/context.ts'
import type { StoredApiKey } from '../../adapters/ports.ts'
import { newApiKey, hashApiKey, scopesBeyond } from '../../http/apiKeys.ts'
import { authUser, requireAuth, requireRole } from '../../http/auth.ts'
import { HttpProblem } from '../../http/problem.ts'
import { NoBody, OneOf, PathId, Strict, Text } from '../../shared/schemas.ts'

const Scope = OneOf('lifecycle:write', 'passport:read', 'webhooks')

const NewKey = Strict({ name: Text(100), scopes: Type.Array(Scope, { minItems: 1, maxItems: 3, uniqueItems: true }) })

const KeyView = Strict({ keyId: Type.String(), name: Type.String(), scopes: Type.Array(Scope), createdAt: Type.String(), lastUsedAt: Type.Union([Type.String(), Type.Null()]) })

const present = ({ keyId, name, scopes, createdAt, lastUsedAt }: StoredApiKey) => ({ keyId, name, scopes, createdAt, lastUsedAt })

const keyHolder = requireRole('repairer', 'reseller', 'recycler', 'authority', 'brand')

export const partnerKeyRoutes: FastifyPluginAsyncTypebox<{ ctx: CommandApiContext }> = async (app, { ctx }) => {
  app.post(
    '/partners/keys',
    {
      onRequest: keyHolder,
      schema: { body: NewKey, response: { 201: Type.Composite([KeyView, Strict({ apiKey: Type.String({ description: 'shown this once' }) })]) } },
    },
    async (request, reply) => {
      const { userId, roles } = authUser(request)
      const { name, scopes } = request.body
      const beyond = scopesBeyond(scopes, roles)
      if (beyond.length > 0) throw new HttpProblem(403, 'Forbidden', `your roles do not allow the scope ${beyond.join(', ')}`)
      const keyId = ctx.newId()
      const apiKey = newApiKey(keyId)
      const key: StoredApiKey = { keyId, ownerId: userId, name, scopes, hash: hashApiKey(apiKey), createdAt: request.receivedAt, lastUsedAt: null }
      await ctx.apiKeys.addKey(key)
      return reply.code(201).send({ ...present(key), apiKey })
    },
  )

  app.get('/partners/keys', { onRequest: keyHolder, schema: { response: { 200: Strict({ items: Type.Array(KeyView) }) } } }, async request => ({
    items: (await ctx.apiKeys.keysOf(authUser(request).userId)).map(present),
  }))

  app.delete(
    '/partners/keys/:keyId',
    { onRequest: requireAuth, schema: { params: Strict({ keyId: PathId }), body: NoBody, response: { 204: Type.Null() } } },
    async (request, reply) => {
      const { userId, roles } = authUser(request)
      const key = await ctx.apiKeys.keyById(request.params.keyId)
      if (!key) throw new HttpProblem(404, 'Not Found', 'API key not found')
      if (key.ownerId !== userId && !roles.includes('admin')) throw new HttpProblem(403, 'Forbidden', 'only its owner or an admin can revoke an API key')
      await ctx.apiKeys.revokeKey(key.keyId, request.receivedAt)
      return reply.code(204).send(null)
    },
  )
}
