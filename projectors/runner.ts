/**
 * Runs the projections over the log. One catch-up subscription feeds every projection, each event to each
 * projection in list order: a projection may then read what an earlier one wrote (see index.ts), and the log
 * is read once. Each projection keeps its own checkpoint, so a rebuilt or newly added one catches up from 0
 * while the others skip what they have applied; the subscription starts after the lowest.
 *
 * Events are applied to a unit of work, committed with the checkpoints they reach whenever the subscription has
 * nothing more at hand, and at least every `batchSize` events: under load or in a rebuild, many events share one
 * write. Readers (waitForPosition) see a position once it is committed. After a crash the events of a lost batch
 * are applied again from the checkpoints, which changes nothing already written: every document records the
 * position of the last event applied to it.
 */
import { Backoff, DEFAULT_RETRY_MS, type RetryDelays } from '../eventlog/follow.ts'
import type { EventLog, RecordedEvent } from '../eventlog/port.ts'
import type { ReadModelStore } from '../readmodels/port.ts'
import { UnitOfWork } from '../readmodels/unitOfWork.ts'
import { projections as allProjections } from './index.ts'
import type { Projection } from './projection.ts'
import { Watermark } from './watermark.ts'

export interface RunnerOptions {
  eventLog: EventLog
  store: ReadModelStore
  projections?: readonly Projection[]
  /** Applied events are committed when the subscription waits for more, or after this many. */
  batchSize?: number
  /** After a failure the runner resubscribes from its checkpoints, waiting first, then twice as long each time. */
  retryDelayMs?: RetryDelays
  onError?: (error: unknown) => void
}

export interface RebuildProgress {
  /** Of the last event replayed. */
  position: number
  /** The log's head when the rebuild started. */
  head: number
  events: number
}

export class ProjectionFailed extends Error {
  constructor(projection: string, event: RecordedEvent, cause: unknown) {
    super(`projection ${projection} failed on ${event.type} at position ${event.position}`, { cause })
    this.name = 'ProjectionFailed'
  }
}

const PROGRESS_EVERY = 1000

/** Where a projection stands: the last event applied to it, and the last its store holds. */
interface Checkpoint {
  readonly projection: Projection
  applied: number
  committed: number
}

export class ProjectionRunner {
  private readonly eventLog: EventLog
  private readonly store: ReadModelStore
  private readonly projections: readonly Projection[]
  private readonly batchSize: number
  private readonly retryDelayMs: RetryDelays
  private readonly onError: (error: unknown) => void
  private readonly work: UnitOfWork
  /** One for each projection, in their order. */
  private readonly checkpoints: readonly Checkpoint[]
  /** By list of checkpoints (all of them, or a rebuild's), those that handle each event type. */
  private readonly handlers = new WeakMap<readonly Checkpoint[], Map<string, readonly Checkpoint[]>>()
  /** The lowest of the committed checkpoints: what every projection has applied, for readers. */
  private readonly applied = new Watermark()
  private running: { controller: AbortController; done: Promise<void> } | null = null
  private uncommitted = 0
  private idleCommit: NodeJS.Immediate | undefined
  /** An event is being applied: the unit of work holds part of it, not to be committed yet. */
  private applying = false
  /** Settles when the last commit has; `commitFailure` is the first error of one, until the runner starts over. */
  private committing: Promise<void> = Promise.resolve()
  /** Commits handed to the unit of work that have not settled yet. */
  private unsettled = 0
  private commitFailure: unknown
  /** Ends the current subscription, to start over after a commit that nobody awaited failed. */
  private restart = new AbortController()

  constructor(options: RunnerOptions) {
    this.eventLog = options.eventLog
    this.store = options.store
    this.projections = options.projections ?? allProjections
    this.batchSize = options.batchSize ?? 4000
    this.retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_MS
    this.onError = options.onError ?? (error => console.error(error))
    this.work = new UnitOfWork(this.store, this.projections.flatMap(projection => projection.collections.map(({ name }) => name)))
    this.checkpoints = this.projections.map(projection => ({ projection, applied: 0, committed: 0 }))
  }

  /** The position every projection has applied and committed. */
  get position(): number {
    return Math.min(...this.checkpoints.map(({ committed }) => committed))
  }

  async start(): Promise<void> {
    if (this.running) return
    await this.prepare()
    const controller = new AbortController()
    this.running = { controller, done: this.follow(controller.signal) }
  }

  /** Ends the subscription after the event being applied, and commits what was applied. */
  async stop(): Promise<void> {
    if (this.running) {
      const { controller, done } = this.running
      this.running = null
      controller.abort()
      await done
    }
    await this.commit()
  }

  /** true as soon as every projection has applied `position`; false after timeoutMs. */
  waitForPosition(position: number, timeoutMs: number): Promise<boolean> {
    return this.applied.waitFor(position, timeoutMs)
  }

  /**
   * Empties the collections of the named projections (all by default) and replays the whole log into them;
   * the others are left as they are. A running runner pauses meanwhile, and resumes even if the rebuild fails:
   * it then carries on from the checkpoints the rebuild saved on the way.
   */
  async rebuild(names: readonly string[] = this.projections.map(({ name }) => name), onProgress?: (progress: RebuildProgress) => void): Promise<void> {
    const unknown = names.filter(name => !this.projections.some(projection => projection.name === name))
    if (unknown.length > 0) throw new Error(`no projection named ${unknown.join(', ')}`)
    const selected = this.checkpoints.filter(({ projection }) => names.includes(projection.name))
    const wasRunning = this.running !== null
    await this.stop()
    try {
      for (const { projection } of selected) {
        for (const { name } of projection.collections) await this.store.drop(name)
        await this.store.setCheckpoint(projection.name, 0)
      }
      await this.prepare()
      const progress: RebuildProgress = { position: 0, head: await this.eventLog.headPosition(), events: 0 }
      for await (const event of this.eventLog.readAll()) {
        await this.apply(event, selected)
        progress.position = event.position
        if (++progress.events % PROGRESS_EVERY === 0) onProgress?.({ ...progress })
      }
      await this.commit()
      onProgress?.(progress)
    } catch (error) {
      // What was applied but not written is lost with the rebuild; the checkpoints say where it stopped.
      await this.startOver()
      throw error
    } finally {
      if (wasRunning) await this.start()
    }
  }

  /** Creates the indexes and loads the checkpoints. */
  private async prepare(): Promise<void> {
    await this.startOver()
    for (const checkpoint of this.checkpoints) {
      const { projection } = checkpoint
      for (const { name, indexes } of projection.collections) await this.store.ensureIndexes(name, indexes)
      checkpoint.applied = checkpoint.committed = await this.store.getCheckpoint(projection.name)
    }
    // Back to 0 for a rebuild: a read then waits for the replay, not for the read models that were dropped.
    this.applied.reset(this.position)
  }

  private async follow(signal: AbortSignal): Promise<void> {
    const backoff = new Backoff(this.retryDelayMs)
    while (!signal.aborted) {
      this.restart = new AbortController()
      try {
        for await (const event of this.eventLog.subscribe({ after: this.position, signal: AbortSignal.any([signal, this.restart.signal]) })) {
          await this.apply(event, this.checkpoints)
          this.commitSoon()
          backoff.succeeded()
        }
        await this.committing
        this.throwIfCommitFailed()
      } catch (error) {
        if (!signal.aborted) this.onError(error)
        await this.startOver()
      }
      if (signal.aborted) return
      await backoff.wait(signal)
    }
  }

  /** Applies an event to the unit of work, unless a commit failed meanwhile: the caller must then start over. */
  private async apply(event: RecordedEvent, checkpoints: readonly Checkpoint[]): Promise<void> {
    this.throwIfCommitFailed()
    this.applying = true
    try {
      for (const checkpoint of this.handling(checkpoints, event.type)) {
        if (checkpoint.applied >= event.position) continue
        const { projection } = checkpoint
        try {
          await projection.project(event, this.work)
        } catch (error) {
          throw new ProjectionFailed(projection.name, event, error)
        }
        checkpoint.applied = event.position
      }
      for (const checkpoint of checkpoints) if (checkpoint.applied < event.position) checkpoint.applied = event.position
    } finally {
      this.applying = false
    }
    if (++this.uncommitted >= this.batchSize) {
      // The store writes this batch while the next is applied, once the one before it is written.
      const previous = this.committing
      this.commit().catch(() => this.restart.abort())
      await previous
    }
  }

  /** Those of `checkpoints` whose projection handles `type`, in their order: looked up once per type, not per event. */
  private handling(checkpoints: readonly Checkpoint[], type: string): readonly Checkpoint[] {
    let byType = this.handlers.get(checkpoints)
    if (!byType) this.handlers.set(checkpoints, (byType = new Map()))
    let handling = byType.get(type)
    if (!handling) byType.set(type, (handling = checkpoints.filter(({ projection }) => projection.handles.has(type))))
    return handling
  }

  /** Commits on the next turn of the event loop, once what is at hand is applied. */
  private commitSoon(): void {
    this.idleCommit ??= setImmediate(() => this.commitWhileIdle())
  }

  /** Commits unless an event is being applied (its next turn of the loop schedules this again) or a commit is being
   *  written (its end does); a failure ends the subscription, to start over. */
  private commitWhileIdle(): void {
    this.idleCommit = undefined
    if (!this.applying && this.unsettled === 0) this.commit().catch(() => this.restart.abort())
  }

  /**
   * Hands what is applied, with the checkpoints it reaches, to the unit of work, between events. Commits are
   * written in order, so an older position never lands after a newer one; a projection's effects outside the
   * store (flush) complete first, and only once the commit before has.
   */
  private commit(): Promise<void> {
    clearImmediate(this.idleCommit)
    this.idleCommit = undefined
    if (this.uncommitted === 0 || this.commitFailure !== undefined) return this.committing.then(() => this.throwIfCommitFailed())
    const reached = this.checkpoints.filter(({ applied, committed }) => applied !== committed).map(checkpoint => [checkpoint, checkpoint.applied] as const)
    const checkpoints = new Map(reached.map(([{ projection }, position]) => [projection.name, position]))
    this.uncommitted = 0
    this.unsettled++
    const flushed = this.committing.then(() => {
      this.throwIfCommitFailed()
      return Promise.all(this.projections.map(projection => projection.flush?.()))
    })
    const commit = this.work.commit(checkpoints, flushed).then(
      () => {
        for (const [checkpoint, position] of reached) checkpoint.committed = Math.max(checkpoint.committed, position)
        this.applied.advance(this.position)
      },
      error => {
        this.commitFailure ??= error
        throw error
      },
    )
    this.committing = commit.catch(() => {})
    void this.committing.then(() => {
      if (--this.unsettled === 0 && this.uncommitted > 0 && this.running) this.commitSoon()
    })
    return commit
  }

  private throwIfCommitFailed(): void {
    if (this.commitFailure !== undefined) throw this.commitFailure
  }

  /** After a failure: what was applied but not committed is applied again, from the committed checkpoints. */
  private async startOver(): Promise<void> {
    await this.committing
    this.work.discard()
    for (const projection of this.projections) projection.discard?.()
    this.uncommitted = 0
    this.commitFailure = undefined
    for (const checkpoint of this.checkpoints) checkpoint.applied = checkpoint.committed
  }
}
