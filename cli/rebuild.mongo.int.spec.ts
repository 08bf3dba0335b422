import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MongoClient } from 'mongodb'
import t from 'tap'
import { serverSettings } from '../adapters/testing/servers.ts'
import { loadConfig } from '../app/config.ts'
import { createLogger } from '../app/logger.ts'
import { openPorts as openAppPorts } from '../app/openPorts.ts'
import { projections } from '../projectors/index.ts'
import type { ProductDoc } from '../readmodels/documents.ts'
import { ProjectionRunner } from '../projectors/runner.ts'
import { run } from './run.ts'
import { captureIo } from './testing/fixture.ts'
import { dump } from '../projectors/testing/store.ts'
import { writeRandomHistory } from './testing/randomHistory.ts'
import { UnitOfWork } from '../readmodels/unitOfWork.ts'

const settings = serverSettings(t, ['MONGODB_URL'])
if (settings) {
  t.test('on MongoDB a rebuild swaps in read models equal to the live ones, document for document', async t => {
    // A database of its own, dropped at the end, so runs leave nothing behind on a shared server.
    const url = new URL(settings.MONGODB_URL)
    url.pathname = `/ptvem_rebuild_${randomUUID().slice(0, 8)}`
    const dataDir = await mkdtemp(join(tmpdir(), 'ptvem-audit-mongo-'))
    const env = { DATA_DIR: dataDir, MONGODB_URL: url.href }
    t.teardown(async () => {
      const client = await MongoClient.connect(url.href)
      await client.db().dropDatabase()
      await client.close()
      await rm(dataDir, { recursive: true, force: true })
    })

    // The log in DATA_DIR, the read models and keys on the server: the app's own composition.
    const config = loadConfig({ ...env, JWT_SECRET: 'test-jwt-secret-of-at-least-32-bytes', SIGNING_SECRET: 'test-signing-secret-of-at-least-32-bytes' })
    const ports = await openAppPorts(config, createLogger('silent'))
    t.teardown(() => ports.close())
    t.equal(ports.readiness.readModels.implementation, 'mongodb')
    const history = await writeRandomHistory(ports, { commands: 300, seed: 7, erasures: true })
    t.ok(history.appended > 100, `${history.appended} events`)
    await new ProjectionRunner({ eventLog: ports.eventLog, store: ports.readModels }).rebuild()
    const head = await ports.rawEventLog.headPosition()
    const live = await dump(ports.readModels)

    // Damage the live models where a rebuild must repair them: a product changed, a stray document.
    const damage = new UnitOfWork(ports.readModels)
    await damage.apply<ProductDoc>('products', history.products[0]!, head + 1000, doc => doc && { ...doc, name: 'tampered' })
    await damage.apply('notifications', 'stray', head + 1000, () => ({ id: 'stray' }))
    await damage.commit(new Map())

    const io = captureIo(env)
    const code = await run(['rebuild'], io)
    t.equal(code, 0, io.err.join(''))
    t.match(io.out.join(''), new RegExp(`^rebuilt products, .*: \\d+ events replayed in .*, swapped in at position ${head}\\n$`))

    const rebuilt = await dump(ports.readModels)
    for (const [name, docs] of Object.entries(live)) t.same(rebuilt[name], docs, `${name}: ${docs.length} documents`)
    for (const { name } of projections) t.equal(await ports.readModels.getCheckpoint(name), head, `${name} checkpoint`)

    const client = await MongoClient.connect(url.href)
    t.teardown(() => client.close())
    const db = client.db()
    const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map(({ name }) => name)
    t.same(names.filter(name => name.includes('__')), [], 'no shadow or set-aside collection left behind')
    t.same(await db.collection('projection_checkpoints').countDocuments({ _id: { $regex: /__rebuild$/ } as never }), 0, 'no shadow checkpoint left')
    const indexes = await db.collection('rm_products').indexes()
    t.ok(indexes.length > 1, `the live products keep their indexes: ${indexes.map(({ name }) => name).join(', ')}`)
  })
}
