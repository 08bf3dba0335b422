/** GET /webhooks and GET /webhooks/{webhookId}/deliveries: the caller's webhooks (never their secrets) and how each delivery went. */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext } from '../../app/context.ts'
import type { Webhook } from '../../adapters/ports.ts'
import { authUser } from '../../http/auth.ts'
import { ownWebhook, webhookHolder } from '../../shared/webhooks.ts'
import { Nullable, PageOf, PageQuery, PathId } from '../schemas.ts'

const WebhookView = Type.Object({ webhookId: Type.String(), url: Type.String(), events: Type.Array(Type.String()), createdAt: Type.String() })

const DeliveryView = Type.Object({
  deliveryId: Type.String({ description: 'the `webhook-id` header of every attempt' }),
  eventType: Type.String(),
  status: Type.Union([Type.Literal('delivered'), Type.Literal('retrying'), Type.Literal('failed')]),
  attempts: Type.Integer(),
  lastStatusCode: Nullable(Type.Integer()),
  nextAttemptAt: Nullable(Type.String()),
})

const present = ({ webhookId, url, events, createdAt }: Webhook) => ({ webhookId, url, events, createdAt })

export const webhookRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/webhooks',
    { onRequest: webhookHolder, config: { apiKeyScope: 'webhooks' }, schema: { response: { 200: Type.Object({ items: Type.Array(WebhookView) }) } } },
    async request => ({ items: (await ctx.webhooks.webhooksOf(authUser(request).userId)).map(present) }),
  )

  app.get(
    '/webhooks/:webhookId/deliveries',
    {
      onRequest: webhookHolder,
      config: { apiKeyScope: 'webhooks' },
      schema: { params: Type.Object({ webhookId: PathId }), querystring: PageQuery, response: { 200: PageOf(DeliveryView) } },
    },
    async request => {
      const webhook = await ownWebhook(ctx.webhooks, request.params.webhookId, authUser(request).userId)
      const { limit, cursor } = request.query
      const page = await ctx.webhooks.deliveriesOf(webhook.webhookId, cursor === undefined ? { limit } : { limit, cursor })
      return { items: page.items.map(({ deliveryId, eventType, status, attempts, lastStatusCode, nextAttemptAt }) => ({ deliveryId, eventType, status, attempts, lastStatusCode, nextAttemptAt })), nextCursor: page.nextCursor }
    },
  )
}
