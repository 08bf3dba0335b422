/**
 * The read-model writer thread: its own connection to the read-model file, writing the batches it is sent in
 * order, and answering each with its id and, if it failed, the error's message and code (SQLITE_BUSY, ...).
 */
import { parentPort, workerData } from 'node:worker_threads'
import { batchWriter, type StoredBatch } from './sqliteWrites.ts'
import { openReadModels } from './sqliteTables.ts'

const db = openReadModels(workerData as string)
const write = batchWriter(db)

parentPort!.on('message', ({ id, batch }: { id: number; batch: StoredBatch | null }) => {
  if (batch === null) {
    db.close()
    parentPort!.close()
    return
  }
  try {
    write(batch)
    parentPort!.postMessage({ id })
  } catch (error) {
    const { message, code } = error as Error & { code?: string }
    parentPort!.postMessage({ id, error: { message, code } })
  }
})
