/** GET /ownership-proofs/{proofToken}: what a resale marketplace checks. It says nothing about the owner. */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext } from '../../app/context.ts'
import { productIdOf, streams } from '../../domain/ids.ts'
import type { ProductCreated } from '../../domain/product/events.ts'
import { proofStanding } from '../../domain/product/rules/proofs.ts'
import { tokenHash } from '../../shared/productTokens.ts'
import { HttpProblem } from '../../http/problem.ts'
import { foldProduct } from '../../shared/foldProduct.ts'
import { notFound } from '../refusals.ts'
import { Nullable, PathId } from '../schemas.ts'

const ProofSchema = Type.Object({
  productId: Type.String(),
  name: Type.String(),
  brand: Type.String(),
  gtin: Type.Optional(Type.String()),
  serialNumber: Type.Optional(Type.String()),
  ownedBySameOwner: Type.Literal(true),
  alert: Nullable(Type.Object({ status: Type.Union([Type.Literal('lost'), Type.Literal('stolen')]), since: Type.String() })),
  issuedAt: Type.String(),
  expiresAt: Type.String(),
})

const gone = {
  expired: 'the proof has expired',
  revoked: 'the owner revoked the proof',
  owner_changed: 'the product has changed owner since the proof was issued',
} as const

export const ownershipProofRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/ownership-proofs/:proofToken',
    { schema: { params: Type.Object({ proofToken: PathId }), response: { 200: ProofSchema } } },
    async request => {
      const { proofToken } = request.params
      const productId = productIdOf(proofToken)
      if (productId === null) throw notFound('unknown proof')
      // From the log, not a read model: a revoked proof is refused at once.
      const events = await ctx.eventLog.readStream(streams.product(productId))
      const state = foldProduct(events)
      const standing = proofStanding(state, tokenHash(proofToken), ctx.clock().toISOString())
      if (!standing.holds) {
        if (standing.why === 'unknown') throw notFound('unknown proof')
        throw new HttpProblem(410, 'Gone', gone[standing.why])
      }
      const { name, brandName, gtin, serialNumber } = (events[0]!.data as ProductCreated['data'])
      const { issuedAt, expiresAt } = standing.proof
      return {
        productId,
        name,
        brand: brandName,
        ...(gtin !== undefined && { gtin }),
        serialNumber,
        ownedBySameOwner: true as const,
        alert: state.alert && { status: state.alert.status, since: state.alert.since },
        issuedAt,
        expiresAt,
      }
    },
  )
}
