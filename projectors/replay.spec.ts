import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import t from 'tap'
import { SqliteReadModelStore } from '../readmodels/sqlite.ts'
import { UnitOfWork } from '../readmodels/unitOfWork.ts'
import { projections } from './index.ts'
import { ProjectionRunner } from './runner.ts'
import { logOf } from './testing/log.ts'
import { scenario } from './testing/scenario.ts'
import { dump, projectAll, projected } from './testing/store.ts'

const { events } = scenario()

t.test('replaying any range of events again changes nothing in any collection', async t => {
  const store = await projected(events)
  const once = await dump(store)
  const ranges = [[0, events.length], [5, 20], [10, 11], [events.length - 3, events.length]] as const
  for (const [from, to] of ranges) {
    await projectAll(store, events.slice(from, to))
    t.strictSame(await dump(store), once, `positions ${from + 1}..${to}`)
  }
})

/** Every row of every read-model table in the file, as stored: the documents' JSON text, not parsed. */
function storedRows(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true })
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'rm!_%' ESCAPE '!' ORDER BY name").pluck().all() as string[]
    return Object.fromEntries(tables.map(table => [table, db.prepare(`SELECT id, position, doc FROM ${table} ORDER BY id`).raw().all()]))
  } finally {
    db.close()
  }
}

t.test('a rebuild stores the read models byte for byte as events projected live, one commit each, do', async t => {
  const dir = mkdtempSync(join(tmpdir(), 'ptvem-replay-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const live = new SqliteReadModelStore(join(dir, 'live.sqlite'))
  const work = new UnitOfWork(live)
  for (const event of events) {
    for (const projection of projections) if (projection.handles.has(event.type)) await projection.project(event, work)
    await work.commit(new Map())
  }
  await live.close()
  const expected = storedRows(join(dir, 'live.sqlite'))
  t.ok(Object.values(expected).flat().length > 20, 'the scenario fills the read models')
  // One batch (documents changed in place), and small ones (documents read back from the store between batches).
  for (const batchSize of [4000, 5]) {
    const file = join(dir, `rebuilt-${batchSize}.sqlite`)
    const store = new SqliteReadModelStore(file, { threadFrom: 0 })
    await new ProjectionRunner({ eventLog: await logOf(events), store, batchSize }).rebuild()
    await store.close()
    t.strictSame(storedRows(file), expected, `batches of ${batchSize} events, written on the writer thread`)
  }
})
