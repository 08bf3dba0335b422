// Runs every spec with tap and closes with the one summary line CI reads: "N passed, N failed".
// The fault specs (*.fault.spec.ts) stop shared servers, so they run after the others, one at a time.
import { spawn, spawnSync } from 'node:child_process'
import { createInterface } from 'node:readline'

const tap = 'node_modules/.bin/tap'
const FAULT_SPECS = '**/*.fault.spec.ts'
const isFaultSpec = file => file.endsWith('.fault.spec.ts')

// .taprc swaps tap's ts-node plugin for tsx; tap needs its plugin set rebuilt once after `npm ci`.
spawnSync(tap, ['build'], { stdio: 'ignore' })

/** One tap run: its output passed through, its counts and exit code returned. */
const run = args =>
  new Promise(resolve => {
    const child = spawn(tap, ['--reporter=tap', ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
    let counts = { pass: 0, fail: 0, skip: 0 }
    createInterface({ input: child.stdout }).on('line', line => {
      console.log(line)
      const m = /^# \{ total: \d+(.*)\}$/.exec(line)
      if (m) {
        const count = name => Number(new RegExp(`${name}: (\\d+)`).exec(m[1])?.[1] ?? 0)
        counts = { pass: count('pass'), fail: count('fail'), skip: count('skip') }
      }
    })
    child.on('close', code => resolve({ ...counts, fail: code === 0 ? counts.fail : Math.max(counts.fail, 1), code: code ?? 1 }))
  })

const args = process.argv.slice(2)
const options = args.filter(arg => arg.startsWith('-'))
const files = args.filter(arg => !arg.startsWith('-'))
const runs =
  files.length === 0
    ? [[...options, `--exclude=${FAULT_SPECS}`], [...options, '--jobs=1', `--include=${FAULT_SPECS}`]]
    : [files.filter(file => !isFaultSpec(file)), files.filter(isFaultSpec)]
        .map((group, serial) => (group.length === 0 ? null : [...options, ...(serial ? ['--jobs=1'] : []), ...group]))
        .filter(Boolean)

const total = { pass: 0, fail: 0, skip: 0, code: 0 }
for (const runArgs of runs) {
  const result = await run(runArgs)
  for (const key of ['pass', 'fail', 'skip']) total[key] += result[key]
  total.code ||= result.code
}
console.log(`${total.pass} passed, ${total.fail} failed${total.skip ? `, ${total.skip} skipped` : ''}`)
process.exit(total.code)
