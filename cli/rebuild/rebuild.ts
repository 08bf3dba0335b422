/**
 * Rebuilds projections beside the live read models and swaps them in. The projection runner replays the log
 * into shadow collections (shadowStore) while the API keeps serving the live ones; once the shadows have
 * caught up with the head, the swap puts them in place, provided no event was appended since (checked inside
 * the swap, while no projection can write). Otherwise the shadows catch up again and the swap is retried, after
 * a pause that doubles each time: a busy API leaves the swap a quiet moment sooner or later.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { EventLog, RecordedEvent } from '../../eventlog/port.ts'
import type { Projection } from '../../projectors/projection.ts'
import { ProjectionRunner } from '../../projectors/runner.ts'
import type { ReadModelStore } from '../../readmodels/port.ts'
import { UsageError } from '../command.ts'
import type { Progress } from './progress.ts'
import { shadowOf, shadowStore } from './shadowStore.ts'
import type { CollectionSwap } from './swap.ts'

export interface RebuildOptions {
  eventLog: EventLog
  store: ReadModelStore
  swap: CollectionSwap
  projections: readonly Projection[]
  /** Resumes: keeps the shadows and replays what comes after; without it the shadows start empty, from 0. */
  from?: number
  progress: Progress
  onFailure(error: unknown): void
}

const SWAP_ATTEMPTS = 10
/** Before the second attempt; doubled before each next one, up to the max. */
const SWAP_PAUSE_MS = { first: 25, max: 2000 }
/** A failure the runner retries by itself (a busy database) is reported; this many end the rebuild. */
const FAILURES_TOLERATED = 5
/** setTimeout's longest delay: waitForPosition then waits as long as the replay takes. */
const NO_TIMEOUT = 2 ** 31 - 1

/** Resolves with the position the swapped-in read models have applied. */
export async function rebuildAndSwap(options: RebuildOptions): Promise<number> {
  const { eventLog, store, swap, projections, from, progress } = options
  const collections = projections.flatMap(projection => projection.collections.map(({ name }) => name))
  const shadow = shadowStore(store, new Set(collections))
  await prepareShadows(shadow, projections, from)

  let failures = 0
  let giveUp!: (error: unknown) => void
  const failed = new Promise<never>((_, reject) => (giveUp = reject))
  // Observed by the race below; a failure while nothing races (stopping) must not go unhandled.
  failed.catch(() => {})
  const runner = new ProjectionRunner({
    eventLog: observed(eventLog, event => progress.tick(event.position)),
    store: shadow,
    projections,
    onError: error => {
      options.onFailure(error)
      if (++failures >= FAILURES_TOLERATED) giveUp(error)
    },
  })

  const replacement = {
    collections: Object.fromEntries(collections.map(name => [name, shadowOf(name)])),
    checkpoints: Object.fromEntries(projections.map(({ name }) => [name, shadowOf(name)])),
  }
  for (let attempt = 1; attempt <= SWAP_ATTEMPTS; attempt++) {
    const head = await eventLog.headPosition()
    progress.head = head
    await runner.start()
    try {
      await Promise.race([runner.waitForPosition(head, NO_TIMEOUT), failed])
    } finally {
      await runner.stop()
    }
    const applied = runner.position
    if (await swap.swap(replacement, async () => (await eventLog.headPosition()) <= applied)) return applied
    if (attempt < SWAP_ATTEMPTS) await sleep(Math.min(SWAP_PAUSE_MS.first * 2 ** (attempt - 1), SWAP_PAUSE_MS.max))
  }
  throw new Error(`events kept arriving faster than ${SWAP_ATTEMPTS} swaps could catch up; the shadows are kept: resume with --from ${runner.position}`)
}

async function prepareShadows(shadow: ReadModelStore, projections: readonly Projection[], from: number | undefined): Promise<void> {
  for (const projection of projections) {
    if (from === undefined) {
      for (const { name } of projection.collections) await shadow.drop(name)
      await shadow.setCheckpoint(projection.name, 0)
      continue
    }
    const applied = await shadow.getCheckpoint(projection.name)
    if (applied < from) {
      throw new UsageError(`the shadow of ${projection.name} has applied events up to position ${applied} only: --from must not be past it`)
    }
    await shadow.setCheckpoint(projection.name, from)
  }
}

/** The log, telling `onEvent` of each event its subscriptions deliver. */
const observed = (log: EventLog, onEvent: (event: RecordedEvent) => void): EventLog => ({
  append: (streamId, events, expected) => log.append(streamId, events, expected),
  readStream: (streamId, options) => log.readStream(streamId, options),
  readAll: options => log.readAll(options),
  async *subscribe(options) {
    for await (const event of log.subscribe(options)) {
      onEvent(event)
      yield event
    }
  },
  headPosition: () => log.headPosition(),
  close: () => log.close(),
})
