/**
 * Prometheus metrics with prom-client: Node's own, and request durations per route. Served at /metrics on the
 * public port, or, when the deployment names an operations port (METRICS_PORT), only there, by the small app of
 * metricsApp.
 */
import fp from 'fastify-plugin'
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify'
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client'
import { registerErrorHandling } from './errors.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** What /metrics reports for this app, wherever it is served. */
    metricsRegistry: Registry
  }
}

export interface MetricsOptions {
  /** false: measure, but leave /metrics to the operations listener (metricsApp). */
  serve?: boolean
}

const METRICS_PATH = '/metrics'

const plugin: FastifyPluginAsync<MetricsOptions> = async (app, { serve = true }) => {
  // One registry per app, so several apps in one process (tests) do not register the same metric twice.
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  dropTotalGauges(registry)
  const durations = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'request duration in seconds',
    labelNames: ['method', 'route', 'status_code'],
    registers: [registry],
  })
  // Fastify times every reply already, so one hook at the end measures a request. (fastify-metrics, used before,
  // started a timer per request in a hook of its own: about 6 % of a warm QR scan's CPU.)
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url
    // A path no route knows (a 404) is left out: each would make a series of its own.
    if (route !== undefined) durations.observe({ method: request.method, route, status_code: reply.statusCode }, reply.elapsedTime / 1000)
    done()
  })
  app.decorate('metricsRegistry', registry)
  if (serve) serveMetrics(app, registry)
}

/**
 * prom-client adds to `nodejs_active_{handles,requests,resources}` (by type) their sums as gauges named `…_total`, a
 * suffix Prometheus keeps for counters (`promtool check metrics` refuses it): the sums are left out, a query sums.
 */
function dropTotalGauges(registry: Registry): void {
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) registry.removeSingleMetric(name)
}

export const metrics = fp(plugin, { name: 'ptvem-metrics' })

/** The operations listener: /metrics of the public app, and nothing else. */
export function metricsApp(registry: Registry, log: FastifyBaseLogger): FastifyInstance {
  const app = Fastify({ loggerInstance: log.child({ listener: 'metrics' }) })
  registerErrorHandling(app)
  serveMetrics(app, registry)
  return app
}

/** Documents the text format; the body is sent as prom-client writes it. */
const MetricsResponse = {
  200: { description: 'Prometheus text exposition format (version 0.0.4)', content: { 'text/plain': { schema: { type: 'string' } } } },
}

function serveMetrics(app: FastifyInstance, registry: Registry): void {
  // Scrapes are not worth a log line each.
  app.get(METRICS_PATH, { logLevel: 'warn', schema: { response: MetricsResponse } }, async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()))
}
