/** POST /products/batches: a verified brand submits up to 10,000 products, issued by a background job (jobs.ts). */
import { createHash } from 'node:crypto'
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifySchemaValidationError } from 'fastify'
import type { CommandApiContext } from '../../app/context.ts'
import type { BatchItem, FailedItem } from '../../domain/batch/events.ts'
import { authUser, requireRole } from '../../http/auth.ts'
import { commandMetadata } from '../../http/commandContext.ts'
import { invalidInput, toProblem } from '../../http/errors.ts'
import { HttpProblem } from '../../http/problem.ts'
import { Strict } from '../../shared/schemas.ts'
import { issuingBrand } from '../brandName.ts'
import { NewProduct, requireDigitalLinkSerial } from '../products/issue.ts'
import { batchJobsOf, stopBatchJobs, submitBatch } from './jobs.ts'

export const MAX_BATCH_ITEMS = 10_000
/** Room for 10,000 items of typical size; a single POST /products takes 1 MiB. */
const BATCH_BODY_LIMIT = 16 * 1024 * 1024

const BatchBody = Strict({
  items: Type.Array(Type.Unsafe<Record<string, unknown>>({ type: 'object', description: 'a product as POST /api/products takes it' }), {
    minItems: 1,
    maxItems: MAX_BATCH_ITEMS,
  }),
})

const BatchHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^[!-~]+$', description: 'the same key again answers with the same batch' })),
})

const BatchStatus = Type.Union([Type.Literal('running'), Type.Literal('completed'), Type.Literal('failed')])

/** The batch a brand's Idempotency-Key names: the same key of the same brand is always the same batch. */
const batchIdOf = (brandId: string, key: string) => createHash('sha256').update(`${brandId}\n${key}`).digest('hex').slice(0, 32)

const refusal = (index: number, problem: HttpProblem): FailedItem => {
  const detail = problem.detail ?? problem.title
  return { index, status: problem.status, detail, errors: problem.errors ?? [{ path: '/body', message: detail }] }
}

export const batchRoutes: FastifyPluginAsyncTypebox<{ ctx: CommandApiContext }> = async (app, { ctx }) => {
  app.addHook('onClose', () => stopBatchJobs(ctx))

  app.post(
    '/products/batches',
    {
      onRequest: requireRole('brand'),
      bodyLimit: BATCH_BODY_LIMIT,
      schema: {
        headers: BatchHeaders,
        body: BatchBody,
        response: { 202: Strict({ batchId: Type.String(), total: Type.Integer(), status: BatchStatus }) },
      },
    },
    async (request, reply) => {
      const brandId = authUser(request).userId
      const { facts } = await issuingBrand(ctx, brandId)
      if (!facts.verified) throw new HttpProblem(403, 'Forbidden', 'only a verified brand can issue products')

      // Each item as a single POST /products validates its body; a refused item is recorded, the rest issued.
      const validate = request.compileValidationSchema(NewProduct, 'body')
      const refused: FailedItem[] = []
      const items = request.body.items.map((item, index): BatchItem | null => {
        if (!validate(item)) {
          refused.push(refusal(index, invalidInput((validate.errors ?? []) as FastifySchemaValidationError[], 'body')))
          return null
        }
        try {
          requireDigitalLinkSerial(item)
          return item as BatchItem
        } catch (error) {
          refused.push(refusal(index, toProblem(error)))
          return null
        }
      })

      const key = request.headers['idempotency-key']
      const batchId = key === undefined ? ctx.newId() : batchIdOf(brandId, key)
      const batch = await submitBatch(ctx, { batchId, brandId, items, refused, metadata: commandMetadata(request) })
      batchJobsOf(ctx, app.log).run(batchId)
      return reply.code(202).send({ batchId, total: batch.items.length, status: batch.status })
    },
  )
}
