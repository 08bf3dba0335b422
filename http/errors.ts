/**
 * The one place errors become responses: RFC 9457 problem+json. Client mistakes keep their 4xx status;
 * anything unexpected is logged and answered with a bare 500.
 *
 * The layers above this one (domain rules, command handling) are not imported: their refusals say what they
 * are by a `kind` (see Refusal), and the status is chosen here.
 */
import { STATUS_CODES } from 'node:http'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifySchemaValidationError } from 'fastify'
import type { DomainError } from '../domain/errors.ts'
import { InvalidPosition, StreamUnreadable, WrongExpectedRevision } from '../eventlog/port.ts'
import { InvalidCursor } from '../readmodels/port.ts'
import { HttpProblem, type ProblemFieldError } from './problem.ts'
import { formatMessages, textPatternMessages } from './text.ts'

/**
 * An error that names what went wrong by its `kind`: a DomainError (domain/errors.ts), StaleRevision
 * (command-api/handleCommand.ts: `stale_revision`), a counter store that cannot count (`unavailable`).
 * Its message is for the client.
 */
export interface Refusal extends Error {
  kind: RefusalKind
}

export type RefusalKind = DomainError['kind'] | 'stale_revision' | 'unavailable'

const refusalStatus: Record<RefusalKind, number> = {
  not_found: 404,
  forbidden: 403,
  conflict: 409,
  stale_revision: 412,
  rule_violated: 422,
  unavailable: 503,
}

const isRefusal = (error: unknown): error is Refusal =>
  error instanceof Error && Object.hasOwn(refusalStatus, (error as Partial<Refusal>).kind ?? '')

const phrase = (status: number) => STATUS_CODES[status] ?? 'Error'

function fieldErrors(errors: FastifySchemaValidationError[], part: string): ProblemFieldError[] {
  return errors.map(({ instancePath, params, message }) => {
    // `required` and `additionalProperties` name the property in params, not in the path.
    const property = params as { missingProperty?: string; additionalProperty?: string; pattern?: string; format?: string }
    const name = property.missingProperty ?? property.additionalProperty
    const path = `/${part}${instancePath}${name === undefined ? '' : `/${name}`}`
    if (property.additionalProperty !== undefined) return { path, message: 'is not allowed' }
    const known = (property.pattern !== undefined && textPatternMessages[property.pattern]) || (property.format !== undefined && formatMessages[property.format])
    return { path, message: known || (message ?? 'is invalid') }
  })
}

/** The 400 for what a schema found wrong in one part of the request (`body`, `querystring`, ...). */
export const invalidInput = (errors: FastifySchemaValidationError[], part: string): HttpProblem =>
  new HttpProblem(400, phrase(400), 'the request is not valid', fieldErrors(errors, part))

/** Turns any thrown value into the problem to answer with. */
export function toProblem(error: unknown): HttpProblem {
  if (error instanceof HttpProblem) return error
  if (isRefusal(error)) {
    const status = refusalStatus[error.kind]
    return new HttpProblem(status, phrase(status), error.message)
  }
  if (error instanceof WrongExpectedRevision) {
    return new HttpProblem(409, phrase(409), 'a concurrent change won; read the current state and try again')
  }
  if (error instanceof InvalidPosition) {
    return new HttpProblem(400, phrase(400), `${error.message}: a position must come from this log`)
  }
  if (error instanceof StreamUnreadable) {
    return new HttpProblem(410, phrase(410), `${error.message}; it can be neither read nor written here`)
  }
  if (error instanceof InvalidCursor) {
    return new HttpProblem(400, phrase(400), error.message, [{ path: '/querystring/cursor', message: error.message }])
  }
  const fastifyError = error as Partial<FastifyError>
  if (fastifyError.validation) return invalidInput(fastifyError.validation, fastifyError.validationContext ?? 'body')
  const status = fastifyError.statusCode
  // Fastify's and its plugins' own client errors (bad JSON, too large, media type, rate limit) say nothing internal.
  if (status !== undefined && status >= 400 && status < 500) {
    return new HttpProblem(status, phrase(status), fastifyError.message)
  }
  return new HttpProblem(500, phrase(500), 'something went wrong on our side')
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: HttpProblem): FastifyReply {
  const { status, title, detail, errors } = problem
  return reply
    .code(status)
    .headers(problem.headers)
    .type('application/problem+json')
    .send({ type: 'about:blank', title, status, detail: detail ?? title, instance: request.url.split('?')[0], ...(errors && { errors }) })
}

/** What the router answers before any route runs: a URL it cannot take apart is invalid input, like a bad body. */
const urlRefusals: Record<string, string> = {
  FST_ERR_BAD_URL: 'is not validly percent-encoded',
  FST_ERR_MAX_PARAM_LENGTH: 'has a path segment longer than any id',
}

/** Fastify's `frameworkErrors` option: the router's own refusals as problems too. */
export function sendFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const refusal = urlRefusals[error.code]
  const problem = refusal ? new HttpProblem(400, phrase(400), `the URL ${refusal}`, [{ path: '/url', message: refusal }]) : toProblem(error)
  if (problem.status >= 500) request.log.error({ err: error }, 'request failed')
  sendProblem(request, reply, problem)
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const problem = toProblem(error)
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed')
    return sendProblem(request, reply, problem)
  })
  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, new HttpProblem(404, phrase(404), `no route for ${request.method} ${request.url.split('?')[0]}`)),
  )
}
