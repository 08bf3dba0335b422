/** The OpenAPI 3 document, generated from the route schemas, at /docs/json, and its UI at /docs. */
import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyPluginAsync, RouteOptions } from 'fastify'
import { isAuthGuard } from './auth.ts'

const needsBearer = (route: RouteOptions) =>
  [route.onRequest, route.preValidation, route.preHandler].flat().some(isAuthGuard)

const docsPlugin: FastifyPluginAsync<{ version: string }> = async (app, { version }) => {
  await app.register(swagger, {
    openapi: {
      info: { title: 'PTVEM', description: 'Digital product passports for garments', version },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    transform: ({ schema, url, route }) => ({
      schema: needsBearer(route) ? { ...schema, security: [{ bearer: [] }] } : schema,
      url,
    }),
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })
}

/** Register before the routes: the document lists the routes added after it. */
export const docs = fp(docsPlugin, { name: 'ptvem-docs' })
