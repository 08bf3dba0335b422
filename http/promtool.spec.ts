/**
 * /metrics as Prometheus's own linter reads it: `promtool check metrics` (Debian package `prometheus`). Without
 * promtool the spec skips, unless CI is set: CI must have it.
 */
import { spawnSync } from 'node:child_process'
import t from 'tap'
import { buildTestApp } from '../test/testing/harness.ts'

const PROMTOOL = process.env.PROMTOOL_PATH ?? 'promtool'
const found = spawnSync(PROMTOOL, ['--version']).status === 0

if (!found && !process.env.CI) {
  t.plan(0, `no ${PROMTOOL} (apt-get install -y prometheus); CI runs this`)
} else {
  t.test('promtool check metrics finds nothing wrong with /metrics', async t => {
    t.ok(found, `${PROMTOOL} is installed`)
    const { app, close } = await buildTestApp()
    t.teardown(close)
    await app.inject({ method: 'GET', url: '/health' })
    const metrics = await app.inject({ method: 'GET', url: '/metrics' })
    t.equal(metrics.statusCode, 200)
    t.match(metrics.body, /^# HELP http_request_duration_seconds /m, 'request durations are there to check')
    const checked = spawnSync(PROMTOOL, ['check', 'metrics'], { input: metrics.body, encoding: 'utf8' })
    t.equal(checked.status, 0, `promtool: ${checked.stdout}${checked.stderr}`)
    t.equal(`${checked.stdout}${checked.stderr}`.trim(), '', 'not even a warning')
  })
}
