/**
 * GET /health: the process answers. GET /ready: each port's backing service answers within a short timeout
 * (the checks come with the ports, ctx.readiness); 503 when a required one does not.
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext, PortReadiness } from '../app/context.ts'

const PROBE_TIMEOUT_MS = 1000

const ServiceStatus = Type.Object({
  status: Type.Union([Type.Literal('up'), Type.Literal('down')]),
  implementation: Type.String(),
  required: Type.Boolean(),
  latencyMs: Type.Number(),
  error: Type.Optional(Type.String()),
})

const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
  services: Type.Record(Type.String(), ServiceStatus),
})

async function probe({ implementation, required, check }: PortReadiness) {
  const started = performance.now()
  const report = (status: 'up' | 'down', error?: string) => ({
    status,
    implementation,
    required,
    latencyMs: Math.round(performance.now() - started),
    ...(error !== undefined && { error }),
  })
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS)
  })
  try {
    await Promise.race([check(), timeout])
    return report('up')
  } catch (error) {
    return report('down', (error as Error).message)
  } finally {
    clearTimeout(timer)
  }
}

export const operations: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get('/health', { schema: { response: { 200: Type.Object({ status: Type.Literal('ok') }) } } }, async () => ({ status: 'ok' as const }))

  app.get('/ready', { schema: { response: { 200: Readiness, 503: Readiness } } }, async (_request, reply) => {
    const results = await Promise.all(Object.entries(ctx.readiness).map(async ([name, port]) => [name, await probe(port)] as const))
    const ready = results.every(([, result]) => result.status === 'up' || !result.required)
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', services: Object.fromEntries(results) })
  })
}
