/**
 * Starts a read-model thread (`writerThread` or `checkpointThread`, siblings of this file) on the read-model file
 * `filename`. Built (scripts/build.mjs), each thread is a file of its own beside the entry that starts it; from
 * the TypeScript, thread.mjs registers the loader the thread does not inherit, then runs the module.
 */
import { Worker, workerData } from 'node:worker_threads'

export type ThreadName = 'writerThread' | 'checkpointThread'

export interface ThreadData {
  /** From the TypeScript: the module thread.mjs runs. */
  module?: string
  filename: string
}

const built = !import.meta.url.endsWith('.ts')

export const startThread = (name: ThreadName, filename: string): Worker =>
  built
    ? new Worker(new URL(`./${name}.js`, import.meta.url), { workerData: { filename } satisfies ThreadData })
    : new Worker(new URL('./thread.mjs', import.meta.url), { workerData: { module: new URL(`./${name}.ts`, import.meta.url).href, filename } satisfies ThreadData })

/** In a thread: the read-model file it works on. */
export const threadFilename = (): string => (workerData as ThreadData).filename
