/** POST /admin/brands/{userId}/verification: an admin approves a brand (with its GS1 Company Prefixes), rejects it, or revokes it. */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { CommandApiContext } from '../../app/context.ts'
import { requireRole } from '../../http/auth.ts'
import { commandMetadata } from '../../http/commandContext.ts'
import { OneOf, PathId, Position, Strict, Text } from '../../shared/schemas.ts'
import { positionOf } from '../write.ts'
import { decideBrandVerification } from './verification.ts'

export const Gs1CompanyPrefix = Type.String({ pattern: '^[0-9]{6,12}$', description: 'a GS1 Company Prefix: 6 to 12 digits' })

const Decision = Strict({
  decision: OneOf('approve', 'reject'),
  gs1CompanyPrefixes: Type.Optional(Type.Array(Gs1CompanyPrefix, { maxItems: 100 })),
  reason: Type.Optional(Text(1000)),
})

const Verdict = Strict({
  userId: Type.String(),
  brandName: Type.String(),
  status: OneOf('verified', 'rejected'),
  gs1CompanyPrefixes: Type.Array(Type.String()),
  position: Position,
})

export const brandRoutes: FastifyPluginAsyncTypebox<{ ctx: CommandApiContext }> = async (app, { ctx }) => {
  app.post(
    '/admin/brands/:userId/verification',
    { onRequest: requireRole('admin'), schema: { params: Strict({ userId: PathId }), body: Decision, response: { 200: Verdict } } },
    async request => {
      const { userId } = request.params
      const result = await decideBrandVerification(ctx, { userId, ...request.body }, commandMetadata(request))
      const { brandName, status, gs1CompanyPrefixes } = result.newState.brand!
      return { userId, brandName, status: status === 'verified' ? ('verified' as const) : ('rejected' as const), gs1CompanyPrefixes, position: positionOf(result) }
    },
  )
}
