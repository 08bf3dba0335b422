/** Shared by the batch specs: submitting a batch and waiting for its job. */
import type { FastifyInstance } from 'fastify'
import { bearer, type TestUser } from '../../test/testing/harness.ts'

export const submit = (app: FastifyInstance, brand: TestUser, items: unknown, idempotencyKey?: string) =>
  app.inject({
    method: 'POST',
    url: '/api/products/batches',
    headers: { ...bearer(brand.token), ...(idempotencyKey !== undefined && { 'idempotency-key': idempotencyKey }) },
    payload: { items },
  })

export const readBatch = (app: FastifyInstance, as: TestUser | undefined, batchId: string, path = '') =>
  app.inject({ method: 'GET', url: `/api/products/batches/${batchId}${path}`, headers: as ? bearer(as.token) : {} })

/** The batch once its job has finished (polling its progress, as a client would). */
export async function finished(app: FastifyInstance, brand: TestUser, batchId: string) {
  for (;;) {
    const response = await readBatch(app, brand, batchId)
    if (response.statusCode !== 200) throw new Error(`GET batch: ${response.statusCode} ${response.body}`)
    const batch = response.json()
    if (batch.status !== 'running') return batch
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}
