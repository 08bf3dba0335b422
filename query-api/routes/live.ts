/**
 * Live updates over Server-Sent Events, fed by the log subscription: a product's new events in public form,
 * and the caller's new notifications.
 */
import { currentRoles } from '../../command-api/users/roles.ts'
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext } from '../../app/context.ts'
import { streams } from '../../domain/ids.ts'
import { authUser, requireAuth, stillAuthorised } from '../../http/auth.ts'
import type { RecordedEvent } from '../../eventlog/port.ts'
import type { LiveStreams } from '../live/liveStreams.ts'
import { loadPassport } from '../passport/load.ts'
import { presentEvent } from '../passport/publicEvent.ts'
import { found } from '../refusals.ts'
import { NotJson, PathId } from '../schemas.ts'
import { findNotification, presentNotification } from '../views/notifications.ts'

const LiveHeaders = Type.Object({
  'last-event-id': Type.Optional(Type.String({ description: 'the id of the last message received: resume after it' })),
})

const EventStream = NotJson('Server-Sent Events, `id:` the log position', ['text/event-stream'])

export const liveRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; live: LiveStreams }> = async (app, { ctx, live }) => {
  app.get(
    '/products/:productId/live',
    { schema: { params: Type.Object({ productId: PathId }), headers: LiveHeaders, response: { 200: EventStream } } },
    async (request, reply) => {
      const { productId } = request.params
      const stream = streams.product(productId)
      let passport = await found(loadPassport(ctx, productId), 'product')
      // The raw log spares decrypting every other product's events; ours come decrypted with the passport.
      return live.serve(request, reply, ctx.rawEventLog, async ({ streamId, revision }) => {
        if (streamId !== stream) return null
        // Consent and story status come from the stream as it now stands, as in /history.
        if (revision > passport.revision) passport = (await loadPassport(ctx, productId)) ?? passport
        const event = passport.events[revision]
        return event ? presentEvent(event, passport) : null
      })
    },
  )

  app.get(
    '/notifications/live',
    { onRequest: requireAuth, schema: { headers: LiveHeaders, response: { 200: EventStream } } },
    async (request, reply) => {
      const caller = authUser(request)
      const { userId } = caller
      // The notification projection decides who hears of an event; the user's inbox holds it if it notified them.
      const present = async (event: RecordedEvent) => {
        await ctx.waitForPosition(event.position, ctx.config.minPositionWaitMs)
        const notification = await findNotification(ctx.readModels, userId, event.metadata.eventId, event.position)
        return notification && presentNotification(userId, notification)
      }
      // A token revoked (logout, erasure, a change of roles) ends the stream it opened.
      return live.serve(request, reply, ctx.rawEventLog, present, { stillAllowed: () => stillAuthorised({ ctx, currentRoles: id => currentRoles(ctx, id) }, caller) })
    },
  )
}
