/** GET /m/{gtin}: the page of a model, where a Digital Link URI of an issued GTIN without a serial number leads. */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext } from '../../app/context.ts'
import { gtin14 } from '../../domain/product/gtin.ts'
import { NotJson } from '../schemas.ts'
import { CSP } from '../page/routes.ts'
import { renderModelPage, renderUnknownCodePage } from '../page/render.ts'
import { issuedProduct } from '../views/product.ts'

export const modelPage: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/m/:gtin',
    {
      schema: {
        params: Type.Object({ gtin: Type.String({ pattern: '^[0-9]{8,14}$' }) }),
        response: { 200: NotJson('the model page', ['text/html']), 404: NotJson('a GTIN we never issued items of', ['text/html']) },
      },
    },
    async (request, reply) => {
      const { gtin } = request.params
      const product = await issuedProduct(ctx, gtin)
      reply.header('content-security-policy', CSP).type('text/html; charset=utf-8')
      if (!product) return reply.code(404).send(String(renderUnknownCodePage()))
      const { name, brand, description, materials, madeIn } = product
      const page = renderModelPage({ name, brand: brand.name, gtin: gtin14(gtin), description: description ?? null, materials: materials ?? null, madeIn: madeIn ?? null })
      return reply.send(String(page))
    },
  )
}
