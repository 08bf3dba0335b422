/** PUT /admin/users/{userId}/roles: an admin sets a user's roles; tokens already issued follow at once. */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext } from '../../app/context.ts'
import { requireRole } from '../../http/auth.ts'
import { commandMetadata } from '../../http/commandContext.ts'
import { rememberRoles } from '../../http/userRoles.ts'
import { streams } from '../../domain/ids.ts'
import { userDecider } from '../../domain/user/index.ts'
import { handleCommand } from '../handleCommand.ts'
import { PathId, Position, Strict } from '../schemas.ts'
import { positionOf } from '../write.ts'
import { RoleSchema } from '../auth/schemas.ts'

const Roles = Strict({ roles: Type.Array(RoleSchema, { minItems: 1, uniqueItems: true }) })

export const userRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.put(
    '/admin/users/:userId/roles',
    {
      onRequest: requireRole('admin'),
      schema: {
        params: Strict({ userId: PathId }),
        body: Roles,
        response: { 200: Type.Composite([Roles, Strict({ userId: Type.String(), position: Position })]) },
      },
    },
    async request => {
      const { userId } = request.params
      const metadata = commandMetadata(request)
      const command = { type: 'ChangeRoles' as const, data: { userId, roles: request.body.roles }, metadata }
      const result = await handleCommand(ctx.eventLog, streams.user(userId), userDecider, command, metadata, { newEventId: ctx.newId })
      await rememberRoles(ctx.cache, userId, request.body.roles)
      return { userId, roles: request.body.roles, position: positionOf(result) }
    },
  )
}
