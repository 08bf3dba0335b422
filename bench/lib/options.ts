/**
 * Benchmark sizes and switches. Each one can be set by a flag (`npm run bench -- --products=20000`) or by the
 * environment (`BENCH_PRODUCTS=20000 npm run bench`); the flag wins. `--quick` (BENCH_QUICK=1) swaps in small
 * defaults for a run of a minute or two while developing; explicit sizes still win over it.
 */
export const SUITES = ['qr', 'commands', 'streams', 'catchup', 'ryw', 'kafka', 'live', 'batches', 'profile'] as const
export type SuiteName = (typeof SUITES)[number]

export interface BenchOptions {
  suites: SuiteName[]
  /** Products in the warm store the QR scan suite reads (suite 1). */
  products: number
  /** Products of suite 1's second store, on MongoDB read models and the Redis cache (smaller: FerretDB catches up slowly). */
  mongoProducts: number
  /** The servers of suite 1's production-adapter run (MONGODB_URL, REDIS_URL); without both it is not measured. */
  mongodbUrl: string | undefined
  redisUrl: string | undefined
  /** Seconds of measured load per autocannon run; each run is preceded by warmupSeconds of unmeasured load. */
  duration: number
  warmupSeconds: number
  /** Concurrent HTTP connections of the read load (QR scan, /details, /history). */
  connections: number
  /** Concurrent connections of the write load (POST /api/ownership/transfer). */
  writeConnections: number
  /** Products the write load spreads over, one in flight per product at a time. */
  transferProducts: number
  /** Stream lengths of suite 3, in events. */
  streamLengths: number[]
  /** Transfers timed per stream length (after a few untimed ones). */
  streamSamples: number
  /** Events in the log that suite 4 rebuilds the read models from. */
  catchupEvents: number
  /** Writes whose read-your-writes delay suite 5 times. */
  rywSamples: number
  /** Events of the product whose /history suite 5 compares with /details. */
  historyEvents: number
  /** Events each Kafka client publishes (suite 6), and per send. */
  kafkaEvents: number
  kafkaBatch: number
  kafkaBrokers: string[]
  /** Products in suite 7's batch. */
  batchItems: number
  /** Server log level: 'warn' by default so that per-request logging is not what gets measured. */
  logLevel: string
  /** Parent of the temporary data folders; the OS temp folder by default. */
  dataRoot: string | undefined
  /** Keep the data folders after the run. */
  keep: boolean
  /** Where results.json and RESULTS.md go. */
  outDir: string
  /** Seconds of load under `node --cpu-prof` for the profile suite. */
  profileSeconds: number
  /**
   * Suites 1 and 4 measure the figure and its baseline back to back this many times and keep the round with the
   * median ratio: on a shared machine a lone pair is often measured a few seconds and a different neighbour apart.
   */
  rounds: number
}

type Source = Record<string, string | undefined>

const QUICK: Partial<Record<keyof BenchOptions, string>> = {
  products: '5000',
  mongoProducts: '300',
  duration: '3',
  rounds: '1',
  warmupSeconds: '1',
  transferProducts: '200',
  streamLengths: '10,100,1000',
  streamSamples: '30',
  catchupEvents: '50000',
  rywSamples: '50',
  historyEvents: '1000',
  kafkaEvents: '2000',
  batchItems: '1000',
  profileSeconds: '3',
}

const DEFAULTS: Record<Exclude<keyof BenchOptions, 'suites' | 'kafkaBrokers' | 'mongodbUrl' | 'redisUrl' | 'dataRoot' | 'keep' | 'outDir'>, string> = {
  products: '100000',
  mongoProducts: '1000',
  duration: '10',
  warmupSeconds: '3',
  connections: '32',
  writeConnections: '16',
  transferProducts: '1000',
  streamLengths: '10,100,1000,10000',
  streamSamples: '100',
  catchupEvents: '1000000',
  rywSamples: '200',
  historyEvents: '1000',
  kafkaEvents: '20000',
  kafkaBatch: '500',
  batchItems: '10000',
  logLevel: 'warn',
  profileSeconds: '8',
  rounds: '3',
}

/** `--products=5` / `--products 5` / `--keep` → { products: '5', keep: 'true' }. */
export function parseFlags(argv: readonly string[]): Source {
  const flags: Source = {}
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg} (flags look like --products=20000)`)
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined]
    const next = argv[i + 1]
    if (inline !== undefined) flags[camel(name)] = inline
    else if (next !== undefined && !next.startsWith('--')) flags[camel(name)] = argv[++i]
    else flags[camel(name)] = 'true'
  }
  return flags
}

const camel = (name: string) => name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase())
const envName = (key: string) => `BENCH_${key.replace(/[A-Z]/g, letter => `_${letter}`).toUpperCase()}`

function positiveInteger(name: string, raw: string): number {
  const value = Number(raw.replace(/_/g, ''))
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`)
  return value
}

export function loadOptions(argv: readonly string[] = process.argv.slice(2), env: Source = process.env): BenchOptions {
  const flags = parseFlags(argv)
  const known = new Set([...Object.keys(DEFAULTS), 'suites', 'kafkaBrokers', 'mongodbUrl', 'redisUrl', 'dataRoot', 'keep', 'outDir', 'quick', 'help', 'render'])
  for (const name of Object.keys(flags)) if (!known.has(name)) throw new Error(`unknown flag --${name}`)
  const quick = (flags.quick ?? env.BENCH_QUICK ?? 'false') !== 'false'
  const raw = (key: string): string | undefined => flags[key] ?? env[envName(key)]
  const pick = (key: keyof typeof DEFAULTS): string => raw(key) ?? (quick ? QUICK[key] : undefined) ?? DEFAULTS[key]
  const int = (key: keyof typeof DEFAULTS) => positiveInteger(`--${key}`, pick(key))

  const suites = (raw('suites') ?? SUITES.join(','))
    .split(',')
    .map(name => name.trim())
    .filter(Boolean)
  for (const name of suites) if (!SUITES.includes(name as SuiteName)) throw new Error(`unknown suite ${name}; known: ${SUITES.join(', ')}`)

  return {
    suites: suites as SuiteName[],
    products: int('products'),
    mongoProducts: int('mongoProducts'),
    mongodbUrl: raw('mongodbUrl') ?? (env.MONGODB_URL || undefined),
    redisUrl: raw('redisUrl') ?? (env.REDIS_URL || undefined),
    duration: int('duration'),
    warmupSeconds: Number(pick('warmupSeconds')),
    connections: int('connections'),
    writeConnections: int('writeConnections'),
    transferProducts: int('transferProducts'),
    streamLengths: pick('streamLengths')
      .split(',')
      .map(length => positiveInteger('--stream-lengths', length.trim())),
    streamSamples: int('streamSamples'),
    catchupEvents: int('catchupEvents'),
    rywSamples: int('rywSamples'),
    historyEvents: int('historyEvents'),
    kafkaEvents: int('kafkaEvents'),
    kafkaBatch: int('kafkaBatch'),
    kafkaBrokers: (raw('kafkaBrokers') ?? env.KAFKA_BROKERS ?? '')
      .split(',')
      .map(broker => broker.trim())
      .filter(Boolean),
    batchItems: int('batchItems'),
    logLevel: pick('logLevel'),
    dataRoot: raw('dataRoot'),
    keep: (raw('keep') ?? 'false') !== 'false',
    outDir: raw('outDir') ?? new URL('..', import.meta.url).pathname,
    profileSeconds: int('profileSeconds'),
    rounds: int('rounds'),
  }
}

export const HELP = `npm run bench -- [flags]   (every flag also reads from BENCH_<NAME>, e.g. BENCH_PRODUCTS)
  --suites=${SUITES.join(',')}
  --quick                 small sizes (a minute or two), for development
  --products=N            warm store of the QR scan suite (default ${DEFAULTS.products})
  --mongo-products=N      its store on MongoDB read models + Redis cache (default ${DEFAULTS.mongoProducts}; its catch-up into
                          FerretDB grows with the square of it: about 80 s for 1,000, 20 minutes were not enough for 10,000)
  --mongodb-url=U --redis-url=U   or MONGODB_URL, REDIS_URL; that part of the QR scan suite is skipped without both
  --duration=S            seconds per measured HTTP load (default ${DEFAULTS.duration}), after --warmup-seconds (default ${DEFAULTS.warmupSeconds})
  --connections=N         read load connections (default ${DEFAULTS.connections}); --write-connections=N (default ${DEFAULTS.writeConnections})
  --transfer-products=N   products the transfer load spreads over (default ${DEFAULTS.transferProducts})
  --stream-lengths=a,b    suite 3 (default ${DEFAULTS.streamLengths}); --stream-samples=N (default ${DEFAULTS.streamSamples})
  --catchup-events=N      log size of the rebuild suite (default ${DEFAULTS.catchupEvents})
  --ryw-samples=N         writes timed by the read-your-writes suite (default ${DEFAULTS.rywSamples}); --history-events=N (default ${DEFAULTS.historyEvents})
  --kafka-events=N        events per Kafka client (default ${DEFAULTS.kafkaEvents}); --kafka-batch=N (default ${DEFAULTS.kafkaBatch})
  --kafka-brokers=h:p     or KAFKA_BROKERS; the Kafka suite is skipped without one
  --batch-items=N         products in the bulk-issuing suite's batch (default ${DEFAULTS.batchItems}; at most 10,000)
  --log-level=L           server log level (default ${DEFAULTS.logLevel})
  --profile-seconds=S     load under node --cpu-prof (default ${DEFAULTS.profileSeconds})
  --rounds=N              suites 1 and 4: figure and baseline measured back to back N times, the median round kept (default ${DEFAULTS.rounds})
  --data-root=DIR --keep  where the temporary data folders go, and keep them
  --out-dir=DIR           where results.json and RESULTS.md go (default bench/)
  --render                only write RESULTS.md again from results.json (and bench/profile-findings.md)`
