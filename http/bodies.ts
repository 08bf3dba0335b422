/**
 * Request bodies are JSON (or multipart where a route registers it); any other media type is a 415.
 * An empty JSON body counts as no body, so a client that sends `content-type: application/json` on a
 * body-less POST is not refused; routes that need a body still fail validation with a 400.
 */
import type { FastifyInstance } from 'fastify'

export function registerBodyParsing(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error')
  app.removeContentTypeParser(['application/json', 'text/plain'])
  app.addContentTypeParser<string>('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') return done(null, undefined)
    parseJson(request, body, done)
  })
}
