/**
 * Request validation: bodies are validated strictly (a number where a string belongs is a 400, never
 * coerced), while querystrings, params and headers keep Fastify's coercion (`?limit=20` is a number).
 * Unknown properties are refused, not stripped.
 */
import AjvCompiler from '@fastify/ajv-compiler'
import type { FastifyServerOptions } from 'fastify'

type BuildValidator = AjvCompiler.BuildCompilerFromPool
type PoolOptions = Parameters<BuildValidator>[1]

const buildValidator = ((externalSchemas, options: PoolOptions) => {
  const coercing = AjvCompiler()(externalSchemas, options)
  const strictOptions = { ...options, customOptions: { ...options?.customOptions, coerceTypes: false } } as PoolOptions
  const strict = AjvCompiler()(externalSchemas, strictOptions)
  return (route: AjvCompiler.RouteDefinition) => (route.httpPart === 'body' ? strict : coercing)(route as never)
}) as BuildValidator

export const validation: Pick<FastifyServerOptions, 'ajv' | 'schemaController'> = {
  ajv: { customOptions: { removeAdditional: false } },
  schemaController: { compilersFactory: { buildValidator } },
}
