/**
 * PUT /admin/users/{userId}/roles: an admin sets a user's roles; DELETE /admin/users/{userId}: an admin erases a
 * user. Tokens already issued follow either at once.
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { CommandApiContext } from '../../app/context.ts'
import { requireRole } from '../../http/auth.ts'
import { commandMetadata } from '../../http/commandContext.ts'
import { rememberRoles } from './roles.ts'
import { streams } from '../../domain/ids.ts'
import { userDecider } from '../../domain/user/index.ts'
import { handleCommand } from '../handleCommand.ts'
import { NoBody, PathId, Position, Strict } from '../../shared/schemas.ts'
import { positionOf } from '../write.ts'
import { RoleSchema } from '../auth/schemas.ts'
import { eraseUser } from './erase.ts'

const Roles = Strict({ roles: Type.Array(RoleSchema, { minItems: 1, uniqueItems: true }) })

const userParams = Strict({ userId: PathId })

export const userRoutes: FastifyPluginAsyncTypebox<{ ctx: CommandApiContext }> = async (app, { ctx }) => {
  app.put(
    '/admin/users/:userId/roles',
    {
      onRequest: requireRole('admin'),
      schema: {
        params: userParams,
        body: Roles,
        response: { 200: Type.Composite([Roles, Strict({ userId: Type.String(), position: Position })]) },
      },
    },
    async request => {
      const { userId } = request.params
      const metadata = commandMetadata(request)
      const command = { type: 'ChangeRoles' as const, data: { userId, roles: request.body.roles }, metadata }
      const result = await handleCommand({ log: ctx.eventLog, streamId: streams.user(userId), decider: userDecider, command, metadata, newEventId: ctx.newId })
      await rememberRoles(ctx.cache, userId, request.body.roles)
      return { userId, roles: request.body.roles, position: positionOf(result) }
    },
  )

  // 404 for a user who never registered; again on an erased user, 204 and nothing appended.
  app.delete(
    '/admin/users/:userId',
    { onRequest: requireRole('admin'), schema: { params: userParams, body: NoBody, response: { 204: Type.Null() } } },
    async (request, reply) => {
      const { userId } = request.params
      await eraseUser(ctx, userId, commandMetadata(request), ctx.newId)
      return reply.code(204).send(null)
    },
  )
}
