/**
 * Request validation: bodies are validated strictly (a number where a string belongs is a 400, never
 * coerced), while querystrings, params and headers keep Fastify's coercion (`?limit=20` is a number).
 * Unknown properties are refused, not stripped. A URL the router cannot take apart (bad percent-encoding,
 * a path parameter longer than MAX_PATH_PARAM) is a 400 problem as well; any shorter parameter reaches
 * its route, where an id that names nothing is a 404.
 */
import AjvCompiler from '@fastify/ajv-compiler'
import type { FastifyServerOptions } from 'fastify'
import { isValidGtin } from '../domain/product/gtin.ts'
import { sendFrameworkError } from './errors.ts'

/** The longest path parameter the router passes on (Fastify's default is 100). */
export const MAX_PATH_PARAM = 256

type BuildValidator = AjvCompiler.BuildCompilerFromPool
type PoolOptions = Parameters<BuildValidator>[1]

type Validate = ((data: unknown, context?: object) => unknown) & { errors?: unknown }

/**
 * A route's validator, compiled at the route's first request rather than at start: compiling every route's took
 * most of a process's start-up. Fastify reads `errors` after a call that answered false, and hands the parent
 * data along (so that a coerced root value is kept) to a validator with a `schemaEnv`, as Ajv's have.
 */
function compiledOnFirstUse(compile: () => Validate) {
  let compiled: Validate | undefined
  const validate = Object.assign(
    (data: unknown, context?: object) => {
      compiled ??= compile()
      const valid = compiled(data, context)
      validate.errors = compiled.errors
      return valid
    },
    { errors: undefined as unknown, schemaEnv: {} },
  )
  return validate
}

const buildValidator = ((externalSchemas, options: PoolOptions) => {
  const coercing = AjvCompiler()(externalSchemas, options)
  const strictOptions = { ...options, customOptions: { ...options?.customOptions, coerceTypes: false } } as PoolOptions
  const strict = AjvCompiler()(externalSchemas, strictOptions)
  return (route: AjvCompiler.RouteDefinition) => compiledOnFirstUse(() => (route.httpPart === 'body' ? strict : coercing)(route as never) as Validate)
}) as BuildValidator

export const validation: Pick<FastifyServerOptions, 'ajv' | 'schemaController' | 'routerOptions' | 'frameworkErrors'> = {
  // `gtin`: a GS1 GTIN-8/12/13/14 whose check digit is right.
  ajv: { customOptions: { removeAdditional: false, formats: { gtin: isValidGtin } } },
  schemaController: { compilersFactory: { buildValidator } },
  routerOptions: { maxParamLength: MAX_PATH_PARAM },
  frameworkErrors: sendFrameworkError,
}
