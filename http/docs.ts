/** The OpenAPI 3 document, generated from the route schemas, at /docs/json, and its UI at /docs. */
import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyPluginAsync, RouteOptions } from 'fastify'
import { isAuthGuard } from './auth.ts'
import { DOCS_CSP } from './securityHeaders.ts'

const needsBearer = (route: RouteOptions) =>
  [route.onRequest, route.preValidation, route.preHandler].flat().some(isAuthGuard)

/** RFC 9457 problem details: what every route answers a client error with (http/errors.ts). */
export const Problem = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string' },
    instance: { type: 'string' },
    errors: {
      type: 'array',
      items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } },
    },
  },
}

const clientError = { description: 'Problem details (RFC 9457)', content: { 'application/problem+json': { schema: Problem } } }

type Schema = { response?: Record<string, unknown> } & Record<string, unknown>

/** The body schema of routes that take none (`NoBody` in command-api/schemas.ts: nothing, or `{}`). */
const NO_BODY = JSON.stringify({ not: { type: 'object', minProperties: 1 } })

/**
 * Every route documents the common error response, any 4xx as problem+json, besides those it names itself;
 * a route that takes no body documents none (rather than a required body that is "anything but an object").
 */
function documented(schema: Schema | undefined): Schema {
  const response = schema?.response ?? { 200: { description: 'Default Response' } }
  const { body, ...rest } = schema ?? {}
  return { ...rest, ...(body !== undefined && JSON.stringify(body) !== NO_BODY && { body }), response: { ...response, '4XX': response['4XX'] ?? clientError } }
}

/**
 * OpenAPI 3.0 takes `exclusiveMinimum`/`exclusiveMaximum` as booleans beside `minimum`/`maximum`; the
 * validating schemas (JSON Schema draft 7) give them as numbers. Rewrites the document's copies only.
 */
function toOpenApi30Bounds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toOpenApi30Bounds)
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const [key, inner] of Object.entries(value)) out[key] = toOpenApi30Bounds(inner)
  if (typeof out.exclusiveMinimum === 'number') Object.assign(out, { minimum: out.exclusiveMinimum, exclusiveMinimum: true })
  if (typeof out.exclusiveMaximum === 'number') Object.assign(out, { maximum: out.exclusiveMaximum, exclusiveMaximum: true })
  return out
}

const docsPlugin: FastifyPluginAsync<{ version: string }> = async (app, { version }) => {
  await app.register(swagger, {
    openapi: {
      info: { title: 'PTVEM', description: 'Digital product passports for garments', version },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    transform: ({ schema, url, route }) => {
      const routeSchema = documented(schema as Schema | undefined)
      return { schema: needsBearer(route) ? { ...routeSchema, security: [{ bearer: [] }] } : routeSchema, url }
    },
    transformObject: document => toOpenApi30Bounds('openapiObject' in document ? document.openapiObject : document.swaggerObject) as never,
  })
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: DOCS_CSP })
}

/** Register before the routes: the document lists the routes added after it. */
export const docs = fp(docsPlugin, { name: 'ptvem-docs' })
