/**
 * Live updates over Server-Sent Events, fed by the process's one log subscription (live/liveStreams.ts): a
 * product's new events in public form, and the caller's new notifications.
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { authUser, requireAuth } from '../../http/auth.ts'
import type { LiveStreams } from '../live/liveStreams.ts'
import { NotJson, PathId } from '../schemas.ts'

const LiveHeaders = Type.Object({
  'last-event-id': Type.Optional(
    Type.String({ description: 'the id of the last message received: resume after it (at most 1,000 missed; beyond, an `event: reload` message)' }),
  ),
})

const EventStream = NotJson('Server-Sent Events, `id:` the log position', ['text/event-stream'])

export const liveRoutes: FastifyPluginAsyncTypebox<{ live: LiveStreams }> = async (app, { live }) => {
  app.get(
    '/products/:productId/live',
    { config: { rateLimit: app.costlyRateLimit }, schema: { params: Type.Object({ productId: PathId }), headers: LiveHeaders, response: { 200: EventStream } } },
    async (request, reply) => live.product(request, reply, request.params.productId),
  )

  app.get(
    '/notifications/live',
    { onRequest: requireAuth, config: { rateLimit: app.costlyRateLimit }, schema: { headers: LiveHeaders, response: { 200: EventStream } } },
    async (request, reply) => live.notifications(request, reply, authUser(request).userId),
  )
}
