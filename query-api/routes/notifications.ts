/** GET /notifications: the caller's inbox, newest first. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext } from '../../app/context.ts'
import { authUser, requireAuth } from '../../http/auth.ts'
import { PageOf, PageQuery } from '../schemas.ts'
import { NotificationSchema, presentNotification, readNotifications } from '../views/notifications.ts'

export const notificationRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/notifications',
    { onRequest: requireAuth, schema: { querystring: PageQuery, response: { 200: PageOf(NotificationSchema) } } },
    async request => {
      const { limit, cursor } = request.query
      const { userId } = authUser(request)
      const page = await readNotifications(ctx.readModels, userId, limit, cursor)
      return { items: page.items.map(notification => presentNotification(userId, notification)), nextCursor: page.nextCursor }
    },
  )
}
