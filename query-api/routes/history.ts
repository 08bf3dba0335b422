/** GET /products/{productId}/history: the passport straight from the event log, in public form, optionally as of a time. */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext } from '../../app/context.ts'
import { loadPassport } from '../passport/load.ts'
import { foldProduct } from '../../shared/foldProduct.ts'
import { presentWithProvenance } from '../passport/provenance.ts'
import { presentState } from '../passport/publicState.ts'
import { parseInstant } from '../../shared/positions.ts'
import { found } from '../refusals.ts'
import { PublicEventSchema, PublicStateSchema } from '../passport/schemas.ts'
import { Instant, Nullable, PathId } from '../schemas.ts'

const HistoryResponse = Type.Object({
  productId: Type.String(),
  revision: Type.Integer(),
  events: Type.Array(PublicEventSchema),
  at: Type.Optional(Type.String()),
  state: Type.Optional(Nullable(PublicStateSchema)),
})

export const historyRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/products/:productId/history',
    {
      config: { rateLimit: app.costlyRateLimit },
      schema: {
        params: Type.Object({ productId: PathId }),
        querystring: Type.Object({ at: Type.Optional(Instant('ISO-8601 time: the state as of then')) }),
        response: { 200: HistoryResponse },
      },
    },
    async request => {
      const { productId } = request.params
      const { at } = request.query
      const until = at === undefined ? undefined : parseInstant(at, '/querystring/at')
      const passport = await found(loadPassport(ctx, productId), 'product')
      const presented = await presentWithProvenance(ctx, passport, until)
      if (until === undefined) return { productId, revision: passport.revision, events: presented }
      const events = passport.events.filter(event => Date.parse(event.metadata.occurredAt) <= until)
      const state = foldProduct(events)
      return {
        productId,
        revision: events.at(-1)?.revision ?? -1,
        events: presented,
        at: new Date(until).toISOString(),
        state: state.exists ? presentState(state, passport) : null,
      }
    },
  )
}
