/**
 * Prometheus metrics: request durations per route plus Node's own. Served at /metrics on the public port, or,
 * when the deployment names an operations port (METRICS_PORT), only there, by the small app of metricsApp.
 */
import fp from 'fastify-plugin'
import fastifyMetrics from 'fastify-metrics'
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify'
import { Registry } from 'prom-client'
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
  await app.register(fastifyMetrics.default, {
    endpoint: serve ? METRICS_PATH : null,
    defaultMetrics: { enabled: true, register: registry },
    // Histograms only: the per-route summary's quantile sketch costs a few µs a request, and Prometheus derives
    // quantiles from the histogram.
    routeMetrics: { enabled: { histogram: true, summary: false }, overrides: { histogram: { registers: [registry] }, summary: { registers: [registry] } } },
  })
  app.decorate('metricsRegistry', registry)
}

export const metrics = fp(plugin, { name: 'ptvem-metrics' })

/** The operations listener: /metrics of the public app, and nothing else. */
export function metricsApp(registry: Registry, log: FastifyBaseLogger): FastifyInstance {
  const app = Fastify({ loggerInstance: log.child({ listener: 'metrics' }) })
  registerErrorHandling(app)
  // Scrapes are not worth a log line each.
  app.get(METRICS_PATH, { logLevel: 'warn' }, async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()))
  return app
}
