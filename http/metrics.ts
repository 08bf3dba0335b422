/** Prometheus metrics at /metrics: request durations per route plus Node's own. */
import fp from 'fastify-plugin'
import fastifyMetrics from 'fastify-metrics'
import { Registry } from 'prom-client'
import type { FastifyPluginAsync } from 'fastify'

const plugin: FastifyPluginAsync = async app => {
  // One registry per app, so several apps in one process (tests) do not register the same metric twice.
  const registry = new Registry()
  await app.register(fastifyMetrics.default, {
    endpoint: '/metrics',
    defaultMetrics: { enabled: true, register: registry },
    routeMetrics: { enabled: true, overrides: { histogram: { registers: [registry] }, summary: { registers: [registry] } } },
  })
}

export const metrics = fp(plugin, { name: 'ptvem-metrics' })
