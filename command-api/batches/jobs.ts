/**
 * Runs submitted batches: each pending item through issueProduct, a chunk at a time, the chunk's outcomes then
 * recorded on the batch stream (the progress GET /products/batches/{batchId} shows).
 *
 * Exactly once across crashes: item `index` is always product `batchProductId(batchId, index)`, created on a
 * stream that must not exist yet, and its GTIN claim is held by that product id. A run that finds the product
 * already created (an earlier run crashed before recording it, or another process runs the same batch)
 * records the product it finds. The items of a chunk are issued together, so their appends share the event
 * log's group commits.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { CommandApiContext } from '../../app/context.ts'
import { batchDecider, pendingIndexes, type BatchCommand, type BatchState } from '../../domain/batch/decide.ts'
import type { BatchEvent, BatchItem, FailedItem, IssuedItem } from '../../domain/batch/events.ts'
import { fold } from '../../domain/decider.ts'
import { batchProductId, streams } from '../../domain/ids.ts'
import type { ProductEvent } from '../../domain/product/events.ts'
import { readDomainEvents } from '../../eventlog/domainEvents.ts'
import type { CommandContext } from '../../http/commandContext.ts'
import { toProblem } from '../../http/errors.ts'
import { handleCommand } from '../handleCommand.ts'
import { issueProduct, issuingFacts, memoizedFacts, type IssuingFacts, type NewProductBody } from '../products/issue.ts'

/** Items issued at once; progress is recorded after each chunk. */
const CHUNK = 250
/** Wait before a run that stopped on an error (the log not answering) is tried again. */
const RETRY_MS = 5000

export interface JobsLog {
  error(details: object, message: string): void
}

export const loadBatch = async (ctx: Pick<CommandApiContext, 'eventLog'>, batchId: string): Promise<BatchState> =>
  fold(batchDecider, await readDomainEvents<BatchEvent>(ctx.eventLog, streams.batch(batchId)))

/** The metadata of what a batch writes: the brand acts, the batch ties it together. */
export const batchMetadata = (ctx: CommandApiContext, brandId: string, batchId: string): CommandContext => ({
  actorId: brandId,
  roles: ['brand'],
  now: ctx.clock().toISOString(),
  correlationId: batchId,
  causationId: batchId,
})

async function writeBatch(ctx: CommandApiContext, command: BatchCommand & { metadata: CommandContext }) {
  return handleCommand({ log: ctx.eventLog, streamId: streams.batch(command.data.batchId), decider: batchDecider, command, metadata: command.metadata, newEventId: ctx.newId })
}

/** Notes a batch as open or closed in the jobs index (appended whatever the index holds: the index only hints). */
async function noteJob(ctx: CommandApiContext, type: 'BatchJobOpened' | 'BatchJobClosed', batchId: string, metadata: CommandContext): Promise<void> {
  const { actorId, correlationId, causationId, now } = metadata
  const eventMetadata = { eventId: ctx.newId(), occurredAt: now, actorId, correlationId, causationId, schemaVersion: 1 }
  await ctx.eventLog.append(streams.batchJobs, [{ type, data: { batchId }, metadata: eventMetadata }], 'any')
}

export interface Submission {
  batchId: string
  brandId: string
  /** null for an item refused on submission, its refusal in `refused`. */
  items: (BatchItem | null)[]
  refused: FailedItem[]
  metadata: CommandContext
}

/** Writes the batch (nothing when it exists already) and returns it; durable once this resolves. */
export async function submitBatch(ctx: CommandApiContext, { metadata, ...data }: Submission): Promise<BatchState> {
  // Opened in the jobs index first: a batch written but not noted there would never resume.
  await noteJob(ctx, 'BatchJobOpened', data.batchId, metadata)
  return (await writeBatch(ctx, { type: 'SubmitBatch', data, metadata })).newState
}

/** The batches the index holds open. */
async function openJobs(ctx: CommandApiContext): Promise<string[]> {
  const open = new Set<string>()
  for (const { type, data } of await ctx.eventLog.readStream(streams.batchJobs)) {
    const { batchId } = data as { batchId: string }
    if (type === 'BatchJobOpened') open.add(batchId)
    else open.delete(batchId)
  }
  return [...open]
}

type Outcome = { issued: IssuedItem } | { failed: FailedItem }

/** The product an earlier run created for the item, when there is one. */
async function alreadyIssued(ctx: CommandApiContext, index: number, productId: string): Promise<IssuedItem | undefined> {
  const [created, qr] = await readDomainEvents<ProductEvent>(ctx.eventLog, streams.product(productId), { maxCount: 2 })
  if (created?.type !== 'ProductCreated' || qr?.type !== 'QrCodeIssued') return undefined
  return { index, productId, qrCode: qr.data.qrCode, qrUrl: qr.data.qrUrl, serialNumber: created.data.serialNumber }
}

async function issueItem(ctx: CommandApiContext, batchId: string, brandId: string, facts: IssuingFacts, body: NewProductBody, index: number): Promise<Outcome> {
  const productId = batchProductId(batchId, index)
  try {
    const { qrCode, qrUrl, serialNumber } = await issueProduct(ctx, { body, productId, brandId, facts, metadata: batchMetadata(ctx, brandId, batchId), newEventId: ctx.newId })
    return { issued: { index, productId, qrCode, qrUrl, serialNumber } }
  } catch (error) {
    const problem = toProblem(error)
    if (problem.status >= 500) throw error
    const found = await alreadyIssued(ctx, index, productId)
    if (found) return { issued: found }
    const detail = problem.detail ?? problem.title
    return { failed: { index, status: problem.status, detail, errors: problem.errors ?? [{ path: '/body', message: detail }] } }
  }
}

/** Like Promise.all, but rejects only once every promise has settled: a run stops with no write still under way. */
async function settledAll<Value>(promises: Promise<Value>[]): Promise<Value[]> {
  const settled = await Promise.allSettled(promises)
  const failure = settled.find(outcome => outcome.status === 'rejected')
  if (failure) throw failure.reason
  return settled.map(outcome => (outcome as PromiseFulfilledResult<Value>).value)
}

async function runBatch(ctx: CommandApiContext, batchId: string, signal: AbortSignal): Promise<void> {
  const batch = await loadBatch(ctx, batchId)
  if (batch.exists && batch.status === 'running') {
    const { brandId } = batch
    // Loaded once a run: a brand whose verification is revoked mid-batch stops issuing at the next run.
    const facts = memoizedFacts(issuingFacts(ctx, brandId))
    const pending = pendingIndexes(batch)
    for (let start = 0; start < pending.length && !signal.aborted; start += CHUNK) {
      const outcomes = await settledAll(pending.slice(start, start + CHUNK).map(index => issueItem(ctx, batchId, brandId, facts, batch.items[index] as NewProductBody, index)))
      const issued = outcomes.flatMap(outcome => ('issued' in outcome ? [outcome.issued] : []))
      const failed = outcomes.flatMap(outcome => ('failed' in outcome ? [outcome.failed] : []))
      await writeBatch(ctx, { type: 'RecordBatchProgress', data: { batchId, issued, failed }, metadata: batchMetadata(ctx, brandId, batchId) })
    }
    if (signal.aborted) return
  }
  await noteJob(ctx, 'BatchJobClosed', batchId, batchMetadata(ctx, batch.brandId, batchId))
}

/** The batches this process runs; one run per batch at a time. */
export class BatchJobs {
  private readonly running = new Map<string, Promise<void>>()
  private readonly abort = new AbortController()

  constructor(
    private readonly ctx: CommandApiContext,
    private readonly log: JobsLog,
    private readonly retryMs = RETRY_MS,
  ) {}

  /** Runs the batch in the background until every item is settled. */
  run(batchId: string): void {
    if (this.running.has(batchId) || this.abort.signal.aborted) return
    const run = this.runUntilDone(batchId).finally(() => this.running.delete(batchId))
    this.running.set(batchId, run)
  }

  /** Resumes every batch the jobs index holds open. */
  async resume(): Promise<void> {
    for (const batchId of await openJobs(this.ctx)) this.run(batchId)
  }

  /** Resolves once the batch's run in this process has ended. */
  async settled(batchId: string): Promise<void> {
    await this.running.get(batchId)
  }

  /** Stops after the chunks under way and waits for them. */
  async stop(): Promise<void> {
    this.abort.abort()
    await Promise.all(this.running.values())
  }

  private async runUntilDone(batchId: string): Promise<void> {
    const { signal } = this.abort
    while (!signal.aborted) {
      try {
        return await runBatch(this.ctx, batchId, signal)
      } catch (error) {
        this.log.error({ err: error, batchId }, 'batch run stopped; trying again')
        await sleep(this.retryMs, undefined, { signal }).catch(() => undefined)
      }
    }
  }
}

const byContext = new WeakMap<CommandApiContext, BatchJobs>()

/** The one BatchJobs of a context: the route that submits and the start-up that resumes share it. */
export function batchJobsOf(ctx: CommandApiContext, log: JobsLog): BatchJobs {
  let jobs = byContext.get(ctx)
  if (!jobs) byContext.set(ctx, (jobs = new BatchJobs(ctx, log)))
  return jobs
}

/** Stops the context's batch runs (they resume at the next start). */
export async function stopBatchJobs(ctx: CommandApiContext): Promise<void> {
  const jobs = byContext.get(ctx)
  byContext.delete(ctx)
  await jobs?.stop()
}
