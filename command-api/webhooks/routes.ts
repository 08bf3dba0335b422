/** POST /webhooks (the secret shown once) and DELETE /webhooks/{webhookId}; brands and partners, by token or key with `webhooks`. */
import { randomBytes } from 'node:crypto'
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { CommandApiContext } from '../../app/context.ts'
import type { Webhook } from '../../adapters/ports.ts'
import { assertPublicHost, hostOf, NonPublicHost } from '../../adapters/publicAddress.ts'
import { SUBSCRIBABLE } from '../../domain/webhook/events.ts'
import { authUser } from '../../http/auth.ts'
import { HttpProblem } from '../../http/problem.ts'
import { NoBody, PathId, Strict } from '../../shared/schemas.ts'
import { ownWebhook, webhookHolder } from '../../shared/webhooks.ts'

const EventName = Type.Unsafe<string>({ type: 'string', enum: [...SUBSCRIBABLE], description: 'an event name, or `product.*` / `lifecycle.*` for all of a family' })

const NewWebhook = Strict({
  url: Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2048, description: 'http(s); its host must resolve to public addresses only' }),
  events: Type.Array(EventName, { minItems: 1, maxItems: SUBSCRIBABLE.length, uniqueItems: true }),
})

const Registered = Strict({
  webhookId: Type.String(),
  secret: Type.String({ description: '`whsec_…`, shown this once: it verifies the signatures of deliveries' }),
  url: Type.String(),
  events: Type.Array(Type.String()),
  createdAt: Type.String(),
})

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`

async function assertReachable(url: URL): Promise<void> {
  try {
    await assertPublicHost(hostOf(url))
  } catch (error) {
    if (error instanceof NonPublicHost) throw new HttpProblem(422, 'Unprocessable Content', `the webhook URL's host ${error.message}`)
    throw error
  }
}

export const webhookRoutes: FastifyPluginAsyncTypebox<{ ctx: CommandApiContext }> = async (app, { ctx }) => {
  app.post(
    '/webhooks',
    { onRequest: webhookHolder, config: { apiKeyScope: 'webhooks' }, schema: { body: NewWebhook, response: { 201: Registered } } },
    async (request, reply) => {
      const { url, events } = request.body
      if (!ctx.config.webhooks.allowPrivate) await assertReachable(new URL(url))
      const webhook: Webhook = {
        webhookId: ctx.newId(),
        ownerId: authUser(request).userId,
        url,
        events,
        secret: newSecret(),
        createdAt: request.receivedAt,
        after: await ctx.rawEventLog.headPosition(),
      }
      await ctx.webhooks.addWebhook(webhook)
      const { webhookId, secret, createdAt } = webhook
      return reply.code(201).send({ webhookId, secret, url, events, createdAt })
    },
  )

  app.delete(
    '/webhooks/:webhookId',
    {
      onRequest: webhookHolder,
      config: { apiKeyScope: 'webhooks' },
      schema: { params: Strict({ webhookId: PathId }), body: NoBody, response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      const webhook = await ownWebhook(ctx.webhooks, request.params.webhookId, authUser(request).userId)
      await ctx.webhooks.deleteWebhook(webhook.webhookId, request.receivedAt)
      return reply.code(204).send(null)
    },
  )
}
