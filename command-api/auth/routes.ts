/** Register, log in, log out, verify a token. */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { CommandApiContext } from '../../app/context.ts'
import { requireAuth, revokeToken, tokenUser } from '../../http/auth.ts'
import { commandMetadata } from '../../http/commandContext.ts'
import { HttpProblem } from '../../http/problem.ts'
import { issueToken } from '../../http/tokens.ts'
import { Position, Strict } from '../../shared/schemas.ts'
import { positionOf } from '../write.ts'
import { normaliseEmail } from './email.ts'
import { checkCredentials } from './login.ts'
import { registerAccount } from './registration.ts'
import { AccountView, BrandApplication, Credentials, Registration, RoleSchema } from './schemas.ts'

export const authRoutes: FastifyPluginAsyncTypebox<{ ctx: CommandApiContext }> = async (app, { ctx }) => {
  app.post(
    '/auth/register',
    {
      onRequest: app.authRateLimit,
      schema: { body: Registration, response: { 201: Type.Composite([AccountView, Strict({ brand: Type.Optional(BrandApplication), position: Position })]) } },
    },
    async (request, reply) => {
      const { accountType = 'consumer', ...details } = request.body
      if (accountType === 'brand' && details.brandName === undefined) {
        throw new HttpProblem(400, 'Bad Request', 'a brand account needs a brand name', [
          { path: '/body/brandName', message: 'is required when accountType is brand' },
        ])
      }
      const userId = ctx.newId()
      const metadata = commandMetadata(request, { userId, roles: [] })
      // A brand applies: it is a consumer until an admin verifies it (POST /api/admin/brands/{userId}/verification).
      const account = await registerAccount(ctx, userId, { ...details, accountType, roles: ['consumer'] }, metadata)
      const brand = accountType === 'brand' ? { brand: { brandName: details.brandName!, status: 'pending' as const } } : {}
      return reply.code(201).send({ ...account, ...brand, position: positionOf(account) })
    },
  )

  app.post(
    '/auth/login',
    {
      onRequest: app.authRateLimit,
      schema: {
        body: Credentials,
        response: { 200: Strict({ accessToken: Type.String(), tokenType: Type.Literal('Bearer'), expiresIn: Type.Integer(), user: AccountView }) },
      },
    },
    async request => {
      const { userId, email, displayName, roles } = await checkCredentials(ctx, request.body.email, request.body.password, request.ip)
      const { jwtSecret: secret, jwtExpiresIn: expiresIn } = ctx.config
      const accessToken = issueToken({ secret, userId, roles, jti: ctx.newId(), now: ctx.clock(), expiresIn })
      const user = { userId, email: email ?? normaliseEmail(request.body.email), displayName: displayName ?? '', roles }
      return { accessToken, tokenType: 'Bearer' as const, expiresIn, user }
    },
  )

  app.post('/auth/logout', { onRequest: requireAuth, schema: { response: { 204: Type.Null() } } }, async (request, reply) => {
    await revokeToken(ctx.cache, tokenUser(request), ctx.clock())
    return reply.code(204).send(null)
  })

  app.get(
    '/auth/verify',
    {
      onRequest: requireAuth,
      schema: {
        response: { 200: Strict({ valid: Type.Literal(true), userId: Type.String(), roles: Type.Array(RoleSchema), expiresAt: Type.String() }) },
      },
    },
    async request => {
      const { userId, roles, expiresAt } = tokenUser(request)
      return { valid: true as const, userId, roles, expiresAt }
    },
  )
}
