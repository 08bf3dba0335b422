/**
 * Runs the projections over the log. One catch-up subscription feeds every projection, each event to each
 * projection in list order: a projection may then read what an earlier one wrote (see index.ts), and the log
 * is read once. Each projection keeps its own checkpoint, so a rebuilt or newly added one catches up from 0
 * while the others skip what they have applied; the subscription starts after the lowest.
 *
 * Checkpoints are saved in batches: after a crash a few events are applied again, which changes nothing,
 * since every document records the position of the last event applied to it.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { EventLog, RecordedEvent } from '../eventlog/port.ts'
import type { ReadModelStore } from '../readmodels/port.ts'
import { projections as allProjections } from './index.ts'
import type { Projection } from './projection.ts'
import { Watermark } from './watermark.ts'

export interface RunnerOptions {
  eventLog: EventLog
  store: ReadModelStore
  projections?: readonly Projection[]
  /** Checkpoints are saved after this many events, or this long after the first unsaved one. */
  checkpointEvery?: number
  checkpointAfterMs?: number
  /** After a failure the runner resubscribes from its checkpoints, waiting first, then twice as long each time. */
  retryDelayMs?: { first: number; max: number }
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

export class ProjectionRunner {
  private readonly eventLog: EventLog
  private readonly store: ReadModelStore
  private readonly projections: readonly Projection[]
  private readonly checkpointEvery: number
  private readonly checkpointAfterMs: number
  private readonly retryDelayMs: { first: number; max: number }
  private readonly onError: (error: unknown) => void
  /** Applied, by projection; `saved` is what the store holds. */
  private readonly checkpoints = new Map<string, number>()
  private readonly saved = new Map<string, number>()
  /** The lowest of the checkpoints: what every projection has applied. */
  private readonly applied = new Watermark()
  private running: { controller: AbortController; done: Promise<void> } | null = null
  private unsaved = 0
  private saveTimer: NodeJS.Timeout | undefined
  private saving = Promise.resolve()

  constructor(options: RunnerOptions) {
    this.eventLog = options.eventLog
    this.store = options.store
    this.projections = options.projections ?? allProjections
    this.checkpointEvery = options.checkpointEvery ?? 500
    this.checkpointAfterMs = options.checkpointAfterMs ?? 200
    this.retryDelayMs = options.retryDelayMs ?? { first: 100, max: 30_000 }
    this.onError = options.onError ?? (error => console.error(error))
    for (const { name } of this.projections) this.checkpoints.set(name, 0)
  }

  /** The position every projection has applied. */
  get position(): number {
    return Math.min(...this.checkpoints.values())
  }

  async start(): Promise<void> {
    if (this.running) return
    await this.prepare()
    const controller = new AbortController()
    this.running = { controller, done: this.follow(controller.signal) }
  }

  /** Ends the subscription after the event being applied, and saves the checkpoints. */
  async stop(): Promise<void> {
    if (this.running) {
      const { controller, done } = this.running
      this.running = null
      controller.abort()
      await done
    }
    await this.saveCheckpoints()
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
    const selected = this.projections.filter(projection => names.includes(projection.name))
    const wasRunning = this.running !== null
    await this.stop()
    try {
      for (const projection of selected) {
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
      await this.saveCheckpoints()
      onProgress?.(progress)
    } finally {
      if (wasRunning) await this.start()
    }
  }

  /** Creates the indexes and loads the checkpoints. */
  private async prepare(): Promise<void> {
    for (const projection of this.projections) {
      for (const { name, indexes } of projection.collections) await this.store.ensureIndexes(name, indexes)
      const checkpoint = await this.store.getCheckpoint(projection.name)
      this.checkpoints.set(projection.name, checkpoint)
      this.saved.set(projection.name, checkpoint)
    }
    // Back to 0 for a rebuild: a read then waits for the replay, not for the read models that were dropped.
    this.applied.reset(this.position)
  }

  private async follow(signal: AbortSignal): Promise<void> {
    let delay = this.retryDelayMs.first
    while (!signal.aborted) {
      try {
        for await (const event of this.eventLog.subscribe({ after: this.position, signal })) {
          await this.apply(event, this.projections)
          delay = this.retryDelayMs.first
        }
      } catch (error) {
        if (!signal.aborted) this.onError(error)
      }
      if (signal.aborted) return
      await sleep(delay, undefined, { signal }).catch(() => {})
      delay = Math.min(delay * 2, this.retryDelayMs.max)
    }
  }

  private async apply(event: RecordedEvent, projections: readonly Projection[]): Promise<void> {
    for (const projection of projections) {
      if (this.checkpoints.get(projection.name)! >= event.position) continue
      try {
        if (projection.handles.has(event.type)) await projection.project(event, this.store)
      } catch (error) {
        throw new ProjectionFailed(projection.name, event, error)
      }
      this.checkpoints.set(projection.name, event.position)
    }
    this.applied.advance(this.position)
    if (++this.unsaved >= this.checkpointEvery) await this.saveCheckpoints()
    else this.saveTimer ??= setTimeout(() => void this.saveCheckpoints(), this.checkpointAfterMs).unref()
  }

  /** One save at a time, so an older position never lands after a newer one. */
  private saveCheckpoints(): Promise<void> {
    clearTimeout(this.saveTimer)
    this.saveTimer = undefined
    this.unsaved = 0
    this.saving = this.saving
      .then(async () => {
        for (const [name, position] of this.checkpoints) {
          if (this.saved.get(name) === position) continue
          await this.store.setCheckpoint(name, position)
          this.saved.set(name, position)
        }
      })
      .catch(this.onError)
    return this.saving
  }
}
