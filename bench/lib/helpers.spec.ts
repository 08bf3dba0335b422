/** The benchmark's pure helpers. No benchmark runs here, and nothing is timed. */
import t from 'tap'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { loadOptions, parseFlags } from './options.ts'
import { analyzeProfile } from './profile.ts'
import { compare, missing, plain, toMarkdown, type RunResults } from './results.ts'
import { medianRound, percentile, summarize } from './stats.ts'

t.test('percentile by nearest rank', async t => {
  const sample = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10]
  t.equal(percentile(sample, 50), 5)
  t.equal(percentile(sample, 99), 10)
  t.equal(percentile(sample, 0), 1)
  t.ok(Number.isNaN(percentile([], 50)))
  t.match(summarize([1, 2, 3, 4]), { count: 4, mean: 2.5, p50: 2, max: 4 })
})

t.test('the median round by its ratio, the lower middle one of an even count', async t => {
  const rounds = [{ id: 'a', ratio: 0.9 }, { id: 'b', ratio: 0.6 }, { id: 'c', ratio: 0.7 }]
  t.equal(medianRound(rounds, round => round.ratio).id, 'c')
  t.equal(medianRound([...rounds, { id: 'd', ratio: 0.8 }], round => round.ratio).id, 'c')
  t.equal(medianRound([rounds[0]!], round => round.ratio).id, 'a')
  t.throws(() => medianRound([], () => 0))
})

t.test('options: flags win over the environment, which wins over --quick and the defaults', async t => {
  t.same(parseFlags(['--products=5', '--keep', '--suites', 'qr,ryw']), { products: '5', keep: 'true', suites: 'qr,ryw' })
  const defaults = loadOptions([], {})
  t.equal(defaults.products, 100_000)
  t.equal(defaults.catchupEvents, 1_000_000)
  t.same(defaults.streamLengths, [10, 100, 1000, 10_000])
  t.same(defaults.kafkaBrokers, [])
  t.equal(defaults.mongoProducts, 1000)
  t.equal(defaults.mongodbUrl, undefined)
  t.equal(loadOptions([], { BENCH_QUICK: '1' }).mongoProducts, 300)
  t.match(loadOptions(['--redis-url=redis://r:1'], { MONGODB_URL: 'mongodb://m/db' }), { mongodbUrl: 'mongodb://m/db', redisUrl: 'redis://r:1' })
  t.equal(loadOptions([], { BENCH_QUICK: '1' }).products, 5000)
  t.equal(loadOptions(['--products=7'], { BENCH_PRODUCTS: '9', BENCH_QUICK: '1' }).products, 7)
  t.equal(loadOptions([], { BENCH_CATCHUP_EVENTS: '20_000' }).catchupEvents, 20_000)
  t.same(loadOptions([], { KAFKA_BROKERS: 'a:1, b:2' }).kafkaBrokers, ['a:1', 'b:2'])
  t.throws(() => loadOptions(['--suites=nope'], {}), /unknown suite nope/)
  t.throws(() => loadOptions(['--prodcts=5'], {}), /unknown flag --prodcts/)
  t.throws(() => loadOptions(['--products=0'], {}), /positive integer/)
})

t.test('a figure against its baseline, and the goal on the ratio', async t => {
  t.match(compare('rps', 700, 'req/s', { name: 'bare', value: 1000 }, { min: 0.7, text: '≥ 0.7' }), { ratio: 0.7, goal: { met: true } })
  t.match(compare('rps', 600, 'req/s', { name: 'bare', value: 1000 }, { min: 0.7, text: '≥ 0.7' }), { ratio: 0.6, goal: { met: false } })
  t.match(compare('p50', 30, 'ms', { name: 'short', value: 10 }, { max: 2, text: '≤ 2' }), { ratio: 3, goal: { met: false } })
  t.notOk('goal' in compare('p99', 3, 'ms', { name: 'bare', value: 1 }))
})

t.test('RESULTS.md: one table row per figure, a missing figure says why', async t => {
  const results: RunResults = {
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:05:00.000Z',
    seconds: 300,
    machine: { cpus: 2, cpuModel: 'cpu', memoryGb: 24, node: 'v20', platform: 'linux x64' },
    loadAverage: { start: 1, end: 2 },
    options: {},
    suites: [
      {
        id: 'qr',
        title: '1. QR scan',
        seconds: 60,
        params: { products: 100 },
        figures: [compare('requests/s', 700, 'req/s', { name: 'bare', value: 1000 }, { min: 0.7, text: 'ratio ≥ 0.7' }), plain('rss', 200, 'MB')],
        notes: ['a note'],
      },
      { id: 'kafka', title: '6. Kafka', seconds: 1, params: {}, figures: [missing('confluent', 'events/s', 'not installable')], notes: [] },
      { id: 'ryw', title: '5. RYW', seconds: 0, params: {}, figures: [], notes: [], skipped: 'failed: boom' },
    ],
    profiles: [],
  }
  const markdown = toMarkdown(results, '### Findings\n\nsomething')
  t.match(markdown, /\| 1\. QR scan \| requests\/s \| 700 req\/s \| bare: 1,000 req\/s \| 0\.7 \| ratio ≥ 0\.7 \| ✅ met \|/)
  t.match(markdown, /confluent \| no figure: not installable/)
  t.match(markdown, /5\. RYW \| skipped .* failed: boom/)
  t.match(markdown, /## Profile[\s\S]*### Findings/)
})

t.test('profile analysis: self time by origin, within a time window', async t => {
  const root = new URL('../..', import.meta.url).href
  const profile = {
    nodes: [
      { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 }, children: [2, 4] },
      { id: 2, callFrame: { functionName: 'scan', url: `${root}query-api/views/product.ts`, lineNumber: 0 }, children: [3] },
      { id: 3, callFrame: { functionName: 'get', url: '', lineNumber: -1 } },
      { id: 4, callFrame: { functionName: 'send', url: `${root}node_modules/fastify/lib/reply.js`, lineNumber: 9 } },
    ],
    startTime: 1_000,
    endTime: 1_000_000,
    samples: [2, 3, 3, 4, 3],
    timeDeltas: [0, 1000, 1000, 1000, 1000],
  }
  const file = join(t.testdir(), 'test.cpuprofile')
  await writeFile(file, JSON.stringify(profile))
  const all = await analyzeProfile(file, 'scan', 'load')
  t.match(all.byCategory[0], { category: 'native ← project query-api/', ms: 3 })
  t.match(
    all.topFunctions.find(row => row.fn === 'send'),
    { where: 'fastify/lib/reply.js:10' },
  )
  t.match(all.inclusive[0], { fn: 'scan', where: 'query-api/views/product.ts', ms: 4 })
  // Samples at 1000, 2000, 3000, 4000, 5000 µs: the window [2 ms, 3 ms] keeps two.
  const windowed = await analyzeProfile(file, 'scan', 'load', { from: 2_000_000n, to: 3_000_000n })
  t.equal(windowed.totalMs, 2)
})
