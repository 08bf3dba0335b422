/**
 * The read-model checkpointer thread: every second, copies what the WAL holds into the database file, on a
 * connection of its own, while the writer thread goes on writing. Left to SQLite, that copy happens within the
 * commit of whichever batch crosses the WAL's limit, and every batch behind it waits tens of milliseconds.
 */
import { statSync } from 'node:fs'
import { parentPort } from 'node:worker_threads'
import { openReadModels } from './sqliteTables.ts'
import { threadFilename } from './threads.ts'

const CHECKPOINT_EVERY_MS = 1000
/** A passive checkpoint never resets a WAL that writes keep adding to: from this size, the next one is followed by
 *  a reset, which holds the writer up only for the little written in between. */
const WAL_LIMIT = 1024 * 1024 * 1024

const filename = threadFilename()
const db = openReadModels(filename)
const walSize = () => statSync(`${filename}-wal`, { throwIfNoEntry: false })?.size ?? 0

const timer = setInterval(() => {
  db.pragma('wal_checkpoint(PASSIVE)')
  if (walSize() > WAL_LIMIT) db.pragma('wal_checkpoint(RESTART)')
}, CHECKPOINT_EVERY_MS)

parentPort!.once('message', () => {
  clearInterval(timer)
  db.close()
  parentPort!.close()
})
