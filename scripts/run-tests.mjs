// Runs every spec with tap and closes with the one summary line CI reads: "N passed, N failed".
import { spawn, spawnSync } from 'node:child_process'
import { createInterface } from 'node:readline'

const tap = 'node_modules/.bin/tap'
// .taprc swaps tap's ts-node plugin for tsx; tap needs its plugin set rebuilt once after `npm ci`.
spawnSync(tap, ['build'], { stdio: 'ignore' })

const child = spawn(tap, ['--reporter=tap', ...process.argv.slice(2)], { stdio: ['ignore', 'pipe', 'inherit'] })
let summary = { pass: 0, fail: 0, skip: 0 }
createInterface({ input: child.stdout }).on('line', line => {
  console.log(line)
  const m = /^# \{ total: \d+(.*)\}$/.exec(line)
  if (m) {
    const count = name => Number(new RegExp(`${name}: (\\d+)`).exec(m[1])?.[1] ?? 0)
    summary = { pass: count('pass'), fail: count('fail'), skip: count('skip') }
  }
})
child.on('close', code => {
  const failed = code === 0 ? summary.fail : Math.max(summary.fail, 1)
  console.log(`${summary.pass} passed, ${failed} failed${summary.skip ? `, ${summary.skip} skipped` : ''}`)
  process.exit(code ?? 1)
})
