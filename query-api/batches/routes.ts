/** GET /products/batches/{batchId} (progress and outcomes) and its labels.pdf, for the batch's brand, read from the log. */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import type { AppContext } from '../../app/context.ts'
import { LRUCache } from 'lru-cache'
import { batchDecider, type BatchState } from '../../domain/batch/decide.ts'
import type { BatchEvent } from '../../domain/batch/events.ts'
import { streams } from '../../domain/ids.ts'
import { readDomainEvents } from '../../eventlog/domainEvents.ts'
import { authUser, requireRole } from '../../http/auth.ts'
import { HttpProblem } from '../../http/problem.ts'
import { Id, Strict } from '../../shared/schemas.ts'
import { NotJson } from '../schemas.ts'

const BatchParams = Strict({ batchId: Id })

const FieldError = Strict({ path: Type.String(), message: Type.String() })

const BatchView = Strict({
  batchId: Type.String(),
  status: Type.Union([Type.Literal('running'), Type.Literal('completed'), Type.Literal('failed')]),
  total: Type.Integer(),
  done: Type.Integer(),
  failed: Type.Array(Strict({ index: Type.Integer(), status: Type.Integer(), detail: Type.String(), errors: Type.Array(FieldError) })),
  products: Type.Array(Strict({ index: Type.Integer(), productId: Type.String(), qrCode: Type.String(), qrUrl: Type.String() })),
})

const byIndex = (a: { index: number }, b: { index: number }) => a.index - b.index

type FoldedBatches = LRUCache<string, { state: BatchState; revision: number }>

/** The batch, from the fold kept in `folded` and the events after it: polling progress reads only what came since (a
 *  batch's first event holds every item, megabytes for 10,000). The log is immutable, so a kept fold is never stale. */
async function loadBatch(ctx: AppContext, folded: FoldedBatches, batchId: string): Promise<BatchState> {
  const known = folded.get(batchId)
  const events = await readDomainEvents<BatchEvent>(ctx.eventLog, streams.batch(batchId), known ? { fromRevision: known.revision + 1 } : undefined)
  if (events.length === 0) return known?.state ?? batchDecider.initialState()
  const state = events.reduce(batchDecider.evolve, known?.state ?? batchDecider.initialState())
  folded.set(batchId, { state, revision: events.at(-1)!.revision })
  return state
}

export const batchRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const folded: FoldedBatches = new LRUCache({ max: 100 })
  /** The caller's batch: 404 when there is none of that id, 403 when it is another brand's. */
  async function ownBatch(request: FastifyRequest, batchId: string): Promise<BatchState> {
    const batch = await loadBatch(ctx, folded, batchId)
    if (!batch.exists) throw new HttpProblem(404, 'Not Found', 'batch not found')
    if (batch.brandId !== authUser(request).userId) throw new HttpProblem(403, 'Forbidden', 'only the brand that submitted a batch can read it')
    return batch
  }

  app.get(
    '/products/batches/:batchId',
    { onRequest: requireRole('brand'), schema: { params: BatchParams, response: { 200: BatchView } } },
    async request => {
      const { batchId } = request.params
      const batch = await ownBatch(request, batchId)
      return {
        batchId,
        status: batch.status,
        total: batch.items.length,
        done: batch.issued.size + batch.failed.size,
        failed: [...batch.failed.values()].sort(byIndex),
        products: [...batch.issued.values()].sort(byIndex).map(({ index, productId, qrCode, qrUrl }) => ({ index, productId, qrCode, qrUrl })),
      }
    },
  )

  app.get(
    '/products/batches/:batchId/labels.pdf',
    {
      onRequest: requireRole('brand'),
      config: { rateLimit: app.costlyRateLimit },
      schema: {
        params: BatchParams,
        querystring: Strict({ size: Type.Optional(Type.Union([Type.Literal('a4'), Type.Literal('letter')], { default: 'a4' })) }),
        response: { 200: NotJson('printable sheets of labels: each issued product’s QR code with its name and serial number', ['application/pdf']) },
      },
    },
    async (request, reply) => {
      const batch = await ownBatch(request, request.params.batchId)
      if (batch.status === 'running') throw new HttpProblem(409, 'Conflict', 'the batch is still running; its labels are ready once it has finished')
      // The PDF library loads at the first sheet, not at start.
      const { labelSheets } = await import('./labels.ts')
      const labels = [...batch.issued.values()].sort(byIndex).map(({ index, qrUrl, serialNumber }) => ({ qrUrl, serialNumber, name: batch.items[index]?.name ?? '' }))
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="labels-${request.params.batchId}.pdf"`)
        .send(labelSheets(labels, request.query.size ?? 'a4'))
    },
  )
}
