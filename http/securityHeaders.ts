/**
 * Security headers on every response, by helmet: `X-Content-Type-Options: nosniff` and the rest of its defaults, and
 * a Content-Security-Policy that lets a JSON answer load nothing at all. The pages that need more say so themselves,
 * no more than they need: the product page (query-api/page) and Swagger UI at /docs (DOCS_CSP).
 */
import fp from 'fastify-plugin'
import helmet, { type HelmetOptions } from 'helmet'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { FastifyPluginAsync } from 'fastify'

const NOTHING = ["'none'"]

/** The one inline style Swagger UI applies (its docs' browser spec names the hash a new version would need). */
const SWAGGER_UI_INLINE_STYLE = "'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='"

/** Swagger UI: its own scripts and styles, the document and Try-it-out requests from this origin, nothing else. */
export const DOCS_CSP = `default-src 'none'; script-src 'self'; style-src 'self' ${SWAGGER_UI_INLINE_STYLE}; img-src 'self' data:; connect-src 'self'; font-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`

const HELMET: HelmetOptions = {
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: NOTHING, baseUri: NOTHING, formAction: NOTHING, frameAncestors: NOTHING } },
  // QR images and scan JSON are meant to be used by other sites (a brand's shop, a marketplace).
  crossOriginResourcePolicy: { policy: 'cross-origin' },
}

/**
 * The headers helmet's middleware sets with these options, worked out once: the middleware parses its options again
 * on every call, which showed as the dearest step of a warm QR scan.
 */
function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {}
  const collector = {
    setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = value),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  }
  helmet(options)({} as IncomingMessage, collector as unknown as ServerResponse, error => {
    if (error) throw error
  })
  return headers
}

const securityHeadersPlugin: FastifyPluginAsync = async app => {
  const headers = helmetHeaders(HELMET)
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers)
    done()
  })
}

export const securityHeaders = fp(securityHeadersPlugin, { name: 'ptvem-security-headers' })
