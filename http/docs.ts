/** The OpenAPI 3 document, generated from the route schemas, at /docs/json, and its UI at /docs. */
import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyPluginAsync, RouteOptions } from 'fastify'
import { API_KEY_HEADER } from './apiKeys.ts'
import { isAuthGuard } from './auth.ts'

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

/** The body schema of routes that take none (`NoBody` in shared/schemas.ts: nothing, or `{}`). */
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

/**
 * A guarded route needs a bearer token; a route naming an API-key scope also takes a key with that scope (OpenAPI
 * 3.0 gives an apiKey scheme no scopes, so the scope goes in `x-api-key-scope`), and needs neither when unguarded.
 */
function withSecurity(schema: Schema, route: RouteOptions): Schema {
  const bearer = needsBearer(route)
  const scope = route.config?.apiKeyScope
  if (!scope) return bearer ? { ...schema, security: [{ bearer: [] }] } : schema
  return { ...schema, security: [...(bearer ? [] : [{}]), { bearer: [] }, { apiKey: [] }], 'x-api-key-scope': scope }
}

const docsPlugin: FastifyPluginAsync<{ version: string }> = async (app, { version }) => {
  await app.register(swagger, {
    openapi: {
      info: { title: 'PTVEM', description: 'Digital product passports for garments', version },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          apiKey: { type: 'apiKey', in: 'header', name: API_KEY_HEADER, description: 'a partner’s API key, on the routes that name the scope it needs' },
        },
      },
    },
    transform: ({ schema, url, route }) => {
      const routeSchema = documented(schema as Schema | undefined)
      return { schema: withSecurity(routeSchema, route), url }
    },
    transformObject: document => toOpenApi30Bounds('openapiObject' in document ? document.openapiObject : document.swaggerObject) as never,
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })
}

/** Register before the routes: the document lists the routes added after it. */
export const docs = fp(docsPlugin, { name: 'ptvem-docs' })
