import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { commands } from './commands/index.ts'
import { audit, captureIo } from './testing/fixture.ts'
import { run } from './run.ts'

const root = fileURLToPath(new URL('..', import.meta.url))

t.test('audit --help lists every command', async t => {
  const io = captureIo({})
  t.equal(await run(['--help'], io), 0)
  for (const { name, summary } of commands) t.match(io.out.join(''), `  ${name.padEnd(11)} ${summary}\n`)
})

t.test('every command has --help, and opens no data for it', async t => {
  for (const { name } of commands) {
    const result = await audit('/nonexistent', name, '--help')
    t.equal(result.code, 0, name)
    t.match(result.stdout, new RegExp(`^usage: audit ${name}`), name)
  }
})

t.test('bad usage exits 2 with a message', async t => {
  const missing = captureIo({})
  t.equal(await run([], missing), 2)
  t.match(missing.err.join(''), /^missing command\n\nusage: audit <command>/)

  const unknown = await audit('/nonexistent', 'frobnicate')
  t.equal(unknown.code, 2)
  t.match(unknown.stderr, 'unknown command "frobnicate"')

  const option = await audit('/nonexistent', 'verify', '--strem', 'x')
  t.equal(option.code, 2)
  t.match(option.stderr, /^audit verify: Unknown option '--strem'.*\n\(audit verify --help shows how to use it\)\n$/s)

  const folder = join(root, 'no-such-data-dir')
  const noLog = await audit(folder, 'stats')
  t.equal(noLog.code, 2)
  t.match(noLog.stderr, `audit stats: no event log at ${join(folder, 'events.sqlite')} (set DATA_DIR, or EVENTSTORE_URL or POSTGRES_URL)`)
  t.notOk(existsSync(folder), 'and creates no data folder')
})

t.test('tsx cli/audit.ts --help, as npm run audit runs it', async t => {
  const result = spawnSync(join(root, 'node_modules/.bin/tsx'), ['cli/audit.ts', '--help'], { cwd: root, encoding: 'utf8', timeout: 60_000 })
  t.equal(result.status, 0, result.stderr)
  t.match(result.stdout, /^usage: audit <command> \[options\]/)
})
