/** GET /health (the process answers) and GET /ready (each backing service answers, within a short timeout). */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext } from '../app/context.ts'
import { collections } from '../projectors/documents.ts'

const PROBE_TIMEOUT_MS = 1000
const PROBE_KEY = 'ready-probe'

/** A cheap read on each port. The integration bus has no read that reaches the broker, so it is not probed. */
const probes: Record<string, (ctx: AppContext) => Promise<unknown>> = {
  eventLog: ctx => ctx.eventLog.headPosition(),
  readModels: ctx => ctx.readModels.get(collections.products, PROBE_KEY),
  cache: ctx => ctx.cache.get(PROBE_KEY),
  keys: ctx => ctx.keys.find(PROBE_KEY),
  media: ctx => ctx.media.get(PROBE_KEY),
}

const ServiceStatus = Type.Object({
  status: Type.Union([Type.Literal('up'), Type.Literal('down')]),
  latencyMs: Type.Number(),
  error: Type.Optional(Type.String()),
})

const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
  services: Type.Record(Type.String(), ServiceStatus),
})

async function probe(check: () => Promise<unknown>) {
  const started = performance.now()
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS)
  })
  try {
    await Promise.race([check(), timeout])
    return { status: 'up' as const, latencyMs: Math.round(performance.now() - started) }
  } catch (error) {
    return { status: 'down' as const, latencyMs: Math.round(performance.now() - started), error: (error as Error).message }
  } finally {
    clearTimeout(timer)
  }
}

export const operations: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get('/health', { schema: { response: { 200: Type.Object({ status: Type.Literal('ok') }) } } }, async () => ({ status: 'ok' as const }))

  app.get('/ready', { schema: { response: { 200: Readiness, 503: Readiness } } }, async (_request, reply) => {
    const results = await Promise.all(Object.entries(probes).map(async ([name, check]) => [name, await probe(() => check(ctx))] as const))
    const ready = results.every(([, result]) => result.status === 'up')
    const services = Object.fromEntries(results)
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', services })
  })
}
