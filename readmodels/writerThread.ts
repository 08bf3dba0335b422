/**
 * The read-model writer thread: its own connection to the read-model file, writing the batches it is sent in
 * order, and answering each with its id and, if it failed, the error's message and code (SQLITE_BUSY, ...).
 * Its checkpointer thread (checkpointThread.ts) copies the WAL into the file meanwhile; should that thread fail,
 * SQLite's own checkpoints take over.
 */
import { once } from 'node:events'
import { parentPort } from 'node:worker_threads'
import { batchWriter, type PackedBatch } from './sqliteWrites.ts'
import { openReadModels } from './sqliteTables.ts'
import { startThread, threadFilename } from './threads.ts'

const filename = threadFilename()
const db = openReadModels(filename)
const automaticCheckpoints = db.pragma('wal_autocheckpoint', { simple: true })
db.pragma('wal_autocheckpoint = 0')
const checkpointer = startThread('checkpointThread', filename)
checkpointer.unref()
// Listened for from the start: a checkpointer that failed has exited before the writer closes.
const checkpointerExited = once(checkpointer, 'exit')
checkpointer.on('error', () => db.pragma(`wal_autocheckpoint = ${automaticCheckpoints}`))
const write = batchWriter(db)

parentPort!.on('message', async ({ id, batch }: { id: number; batch: PackedBatch | null }) => {
  if (batch === null) {
    checkpointer.postMessage('close')
    await checkpointerExited
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
