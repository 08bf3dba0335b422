/**
 * Writes read-model batches on a thread of its own (writerThread.ts), so that the projections and the API go on
 * while SQLite writes. Batches are written in the order given; a write resolves once committed, when every
 * connection to the file sees it. The thread (and its checkpointer, ≈ 50 MB together) starts with the first
 * write, and again after a crash: a process that writes only small batches never starts it.
 */
import type { Worker } from 'node:worker_threads'
import type { WriteBatch } from './port.ts'
import { packBatch } from './sqliteWrites.ts'
import { startThread } from './threads.ts'

interface Waiting {
  resolve: () => void
  reject: (error: Error) => void
}

export class ThreadedWriter {
  private worker: Worker | null = null
  private readonly waiting = new Map<number, Waiting>()
  private nextId = 0
  private last: Promise<void> = Promise.resolve()
  private closed = false

  constructor(private readonly filename: string) {}

  write(batch: WriteBatch): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the read-model store is closed'))
    const worker = this.thread()
    const id = this.nextId++
    const written = new Promise<void>((resolve, reject) => this.waiting.set(id, { resolve, reject }))
    // Kept alive only while a write is on its way.
    worker.ref()
    worker.postMessage({ id, batch: packBatch(batch) })
    this.last = written.catch(() => {})
    return written
  }

  /** Whether a write is on its way. */
  get busy(): boolean {
    return this.waiting.size > 0
  }

  /** Settles once every write handed over so far has (they are written in order). */
  settled(): Promise<void> {
    return this.last
  }

  async close(): Promise<void> {
    this.closed = true
    await this.settled()
    const worker = this.worker
    if (!worker) return
    this.worker = null
    const exited = new Promise(resolve => worker.once('exit', resolve))
    worker.ref()
    worker.postMessage({ id: -1, batch: null })
    await exited
  }

  private thread(): Worker {
    if (this.worker) return this.worker
    const worker = startThread('writerThread', this.filename)
    worker.on('message', ({ id, error }: { id: number; error?: { message: string; code?: string } }) => {
      const waiting = this.waiting.get(id)
      this.waiting.delete(id)
      if (error === undefined) waiting?.resolve()
      else waiting?.reject(Object.assign(new Error(error.message), { code: error.code }))
      if (this.waiting.size === 0) worker.unref()
    })
    const lost = (error: Error) => {
      if (this.worker === worker) this.worker = null
      for (const waiting of this.waiting.values()) waiting.reject(error)
      this.waiting.clear()
    }
    worker.on('error', lost)
    worker.on('exit', code => lost(new Error(`the read-model writer thread stopped (exit code ${code})`)))
    this.worker = worker
    return worker
  }
}
