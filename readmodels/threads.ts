/** Starts a read-model thread: `module` (a sibling of this file) on the read-model file `filename`. */
import { Worker, workerData } from 'node:worker_threads'

export interface ThreadData {
  module: string
  filename: string
}

export const startThread = (module: string, filename: string): Worker =>
  new Worker(new URL('./thread.mjs', import.meta.url), { workerData: { module: new URL(module, import.meta.url).href, filename } satisfies ThreadData })

/** In a thread: the read-model file it works on. */
export const threadFilename = (): string => (workerData as ThreadData).filename
