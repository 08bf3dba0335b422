/**
 * Unknown query parameters are refused (400), as unknown body fields are: every route's querystring schema refuses
 * properties it does not name, and a route that names none takes no query string at all. Register before the routes.
 */
import fp from 'fastify-plugin'
import type { FastifyPluginAsync } from 'fastify'

const NO_QUERY = { type: 'object', properties: {}, additionalProperties: false }

type Schema = { querystring?: Record<string, unknown> } & Record<string, unknown>

const strictQueryPlugin: FastifyPluginAsync = async app => {
  app.addHook('onRoute', route => {
    const schema = (route.schema ?? {}) as Schema
    const query = schema.querystring
    if (query === undefined) route.schema = { ...schema, querystring: NO_QUERY }
    else if (query.additionalProperties === undefined) route.schema = { ...schema, querystring: { ...query, additionalProperties: false } }
  })
}

export const strictQuery = fp(strictQueryPlugin, { name: 'ptvem-strict-query' })
