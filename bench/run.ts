/**
 * `npm run bench`: runs the chosen suites one after another (each in its own data folder, the server, the load
 * generator and the baselines each in its own process), prints each suite's ratios as it finishes, and writes
 * bench/results.json and bench/RESULTS.md. Sizes: see lib/options.ts or `npm run bench -- --help`.
 */
import { readFile } from 'node:fs/promises'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { HELP, loadOptions, parseFlags } from './lib/options.ts'
import { machine, printSuite, writeResults, type RunResults, type SuiteResult } from './lib/results.ts'
import type { Suite, SuiteContext } from './lib/suite.ts'
import { qrScanSuite } from './suites/qrScan.ts'
import { commandSuite } from './suites/commands.ts'
import { streamLengthSuite } from './suites/streamLength.ts'
import { catchUpSuite } from './suites/catchUp.ts'
import { readYourWritesSuite } from './suites/readYourWrites.ts'
import { kafkaSuite } from './suites/kafka.ts'
import { liveClientsSuite } from './suites/liveClients.ts'
import { batchSuite } from './suites/batches.ts'

const ALL: Suite[] = [qrScanSuite, commandSuite, streamLengthSuite, catchUpSuite, readYourWritesSuite, kafkaSuite, liveClientsSuite, batchSuite]

const flags = parseFlags(process.argv.slice(2))
if ('help' in flags) {
  console.log(HELP)
  process.exit(0)
}
if ('render' in flags) {
  // Writes RESULTS.md again from results.json (e.g. after editing bench/profile-findings.md), measuring nothing.
  const outDir = flags.outDir ?? new URL('.', import.meta.url).pathname
  const saved = JSON.parse(await readFile(join(outDir, 'results.json'), 'utf8')) as RunResults
  const { markdown } = await writeResults(outDir, saved)
  console.log(`wrote ${markdown}`)
  process.exit(0)
}

const options = loadOptions()
const startedAt = new Date()
const loadAtStart = loadavg()[0]!
const began = Date.now()
const ctx: SuiteContext = {
  options,
  profile: options.suites.includes('profile'),
  profiles: [],
  log: message => console.log(`   · ${message}`),
}
const suites: SuiteResult[] = []
const selected = ALL.filter(suite => options.suites.includes(suite.id as never))
console.log(`PTVEM bench: ${selected.map(suite => suite.id).join(', ')}${ctx.profile ? ' (+ profiles)' : ''}`)

const results = (): RunResults => ({
  startedAt: startedAt.toISOString(),
  finishedAt: new Date().toISOString(),
  seconds: (Date.now() - began) / 1000,
  machine: machine(),
  loadAverage: { start: loadAtStart, end: loadavg()[0]! },
  options: { ...options },
  suites,
  profiles: ctx.profiles,
})

let failures = 0
for (const suite of selected) {
  const start = Date.now()
  console.log(`\n>> ${suite.title}`)
  let result: SuiteResult
  try {
    result = { id: suite.id, title: suite.title, seconds: 0, ...(await suite.run(ctx)) }
  } catch (error) {
    failures++
    console.error(error)
    result = { id: suite.id, title: suite.title, seconds: 0, params: {}, figures: [], notes: [], skipped: `failed: ${(error as Error).message.split('\n')[0]}` }
  }
  result.seconds = (Date.now() - start) / 1000
  suites.push(result)
  printSuite(result)
  // Written after every suite, so that a run cut short keeps what it measured.
  await writeResults(options.outDir, results())
}

const { json, markdown } = await writeResults(options.outDir, results())
console.log(`\nwrote ${json} and ${markdown} (${Math.round((Date.now() - began) / 1000)} s)`)
process.exitCode = failures > 0 ? 1 : 0
