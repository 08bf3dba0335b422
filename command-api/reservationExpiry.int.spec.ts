/**
 * Reservation expiry on the production adapters (the PostgreSQL event log, MongoDB read models), in two
 * command-api services sharing them: a reservation made before either starts is learned from the read model,
 * each follows the log from the projection's checkpoint, and the reservation expires once.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { serverSettings, ownMongoDatabase } from '../adapters/testing/servers.ts'
import { buildApp } from '../app/buildApp.ts'
import { bootstrapAdmin } from '../app/bootstrapAdmin.ts'
import { loadConfig } from '../app/config.ts'
import { createLogger } from '../app/logger.ts'
import { startService } from '../app/service.ts'
import { streams } from '../domain/ids.ts'
import { postgresDatabase } from '../eventlog/testing/postgresDatabase.ts'
import { subscriptionStarts } from '../eventlog/testing/subscriptionStarts.ts'
import { openReservations } from '../projectors/transactions.ts'
import { ADMIN, registerUser } from '../test/testing/harness.ts'
import { start } from './reservationExpiry.ts'
import { call, newListing, newProduct } from './testing/specSupport.ts'

const settings = serverSettings(t, ['POSTGRES_URL', 'MONGODB_URL'])
const RESERVATION_MS = 3000

if (settings) {
  const dataDir = await mkdtemp(join(tmpdir(), 'ptvem-expiry-'))
  t.teardown(() => rm(dataDir, { recursive: true, force: true }))
  const env = {
    POSTGRES_URL: await postgresDatabase(t, settings.POSTGRES_URL, 'expiry'),
    MONGODB_URL: ownMongoDatabase(t, settings.MONGODB_URL, 'ptvem_expiry'),
    DATA_DIR: dataDir,
    JWT_SECRET: 'test-jwt-secret-of-at-least-32-bytes',
    SIGNING_SECRET: 'test-signing-secret-of-at-least-32-bytes',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
  }
  const config = { ...loadConfig(env), reservationMinutes: RESERVATION_MS / 60_000 }
  const log = createLogger('silent')

  t.test('two command APIs expire a reservation made before they started, once, starting from the read model', async t => {
    const first = await startService(config, { log, projectors: true })
    const second = await startService(config, { log, projectors: false })
    t.teardown(() => Promise.all([first.close(), second.close()]))
    await bootstrapAdmin(first.ctx, log)
    const app = await buildApp(first.ctx, { log })
    t.teardown(() => app.close())

    const [brand, buyer] = await Promise.all([registerUser(app, { accountType: 'brand' }), registerUser(app)])
    const { productId } = await newProduct(app, brand)
    const listingId = await newListing(app, brand, productId)
    const reserved = (await call(app, 'POST', '/resale/transactions', { as: buyer, payload: { listingId } })).json()
    t.ok(await first.ctx.waitForPosition(Number(reserved.position), 10_000), 'projected into MongoDB')

    const recorded = [first, second].map(({ ctx }) => ({ ctx, ...subscriptionStarts(ctx.rawEventLog) }))
    const stops = recorded.map(({ ctx, log: rawEventLog }) => start({ ...ctx, rawEventLog, openReservations: () => openReservations(ctx.readModels) }))
    t.teardown(() => Promise.all(stops.map(stop => stop())))

    const cancellations = async () =>
      (await first.ctx.eventLog.readStream(streams.product(productId))).filter(event => event.type === 'ReservationCancelled')
    for (const deadline = Date.now() + 15_000; (await cancellations()).length === 0 && Date.now() < deadline; ) await sleep(100)
    // Past the retry of whichever instance lost the race for the append.
    await sleep(1500)
    const written = await cancellations()
    t.equal(written.length, 1, 'one expiry, whichever instance wrote it')
    t.match(written[0], { data: { transactionId: reserved.transactionId, reason: 'expired' } })
    t.same(recorded.map(({ starts }) => starts.length), [1, 1], 'each instance subscribed once')
    for (const after of recorded.flatMap(({ starts }) => starts)) t.ok(after! >= Number(reserved.position), `followed from the checkpoint (${after}), not from the start of the log`)
    await Promise.all(stops.map(stop => stop()))
  })
}
