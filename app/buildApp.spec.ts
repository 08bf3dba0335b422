import t from 'tap'
import { loadConfig } from './config.ts'
import { startEmbedded } from './embedded.ts'
import { buildApp } from './buildApp.ts'
import { createLogger } from './logger.ts'

t.test('building the app writes nothing: the first admin account is made at start-up, not here', async t => {
  const log = createLogger('silent')
  const config = loadConfig({ DATA_DIR: t.testdir(), ADMIN_EMAIL: 'admin@ptvem.test', ADMIN_PASSWORD: 'admin-password-1' })
  const embedded = await startEmbedded(config, { log })
  t.teardown(() => embedded.close())
  const app = await buildApp(embedded.ctx, { log })
  t.teardown(() => app.close())
  t.equal(await embedded.ctx.rawEventLog.headPosition(), 0, 'the log is still empty')
})
