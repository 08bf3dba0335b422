/**
 * The cluster of `npm run cluster:up` (scripts/cluster/up.sh) as its specs meet it: the balancer at CLUSTER_URL,
 * the instances one by one at CLUSTER_COMMAND_URLS and CLUSTER_QUERY_URLS (comma-separated, in the order of their
 * names: command-api-1, command-api-2; query-api-1, query-api-2), a verified brand of the run's own, and the
 * cluster's scripts that stop and start its pieces. The scripts run with this process's environment, so
 * PTVEM_STACK_DIR and the PTVEM_<SERVICE>_PORT variables name the stack the cluster runs on (defaults: .stack/).
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import type { Test } from 'tap'
import { serverSettings } from '../../adapters/testing/servers.ts'
import { gs1CheckDigit } from '../../domain/product/gtin.ts'
import { Client, type Call, type Person, type Reply } from '../acceptance/testing/client.ts'
import { signUp } from '../acceptance/testing/people.ts'
import { EUR } from '../acceptance/testing/walk.ts'

export interface Cluster {
  api: Client
  commandApis: Client[]
  queryApis: Client[]
}

const clients = (urls: string) => urls.split(',').map(url => new Client(url.trim().replace(/\/+$/, '')))

/** The cluster named by the environment, or null when the spec was skipped (failed under CI) for want of it. */
export function clusterOf(t: Test, { instances = ['CLUSTER_QUERY_URLS'] as string[] } = {}): Cluster | null {
  const settings = serverSettings(t, ['CLUSTER_URL', ...instances])
  if (!settings) return null
  return {
    api: new Client(settings.CLUSTER_URL!.replace(/\/+$/, '')),
    commandApis: settings.CLUSTER_COMMAND_URLS ? clients(settings.CLUSTER_COMMAND_URLS) : [],
    queryApis: settings.CLUSTER_QUERY_URLS ? clients(settings.CLUSTER_QUERY_URLS) : [],
  }
}

export interface ClusterBrand {
  brand: Person
  /** A product of the brand's, with the serial number given; `extra` goes into the body. */
  product(t: Test, serialNumber: string, extra?: object): Promise<{ productId: string; qrCode: string; position: string }>
  /** The body of POST /api/products for that serial number. */
  productBody(serialNumber: string): object
}

/** A brand verified with a GS1 Company Prefix of this run's own (prefixes are unique, and the log outlives a run). */
export async function clusterBrand(t: Test, api: Client, name: string): Promise<ClusterBrand> {
  const suffix = Date.now().toString(36)
  const prefix = `9${String(Date.now()).slice(-8)}`
  const gtin = `${prefix}000${gs1CheckDigit(`${prefix}000`)}`
  const brand = await signUp(t, api, { displayName: `${name} brand ${suffix}`, brandName: `${name} ${suffix}`, gs1CompanyPrefixes: [prefix] })
  const productBody = (serialNumber: string) => ({
    name: `${name} coat ${serialNumber}`,
    description: 'Wool',
    gtin,
    serialNumber,
    materials: [{ fibre: 'wool', percent: 100 }],
    madeIn: 'Portugal',
    originalPrice: EUR(30_000),
  })
  return {
    brand,
    productBody,
    product: (t, serialNumber, extra = {}) => api.call(t, 'POST /api/products', { as: brand, body: { ...productBody(serialNumber), ...extra } }, 201),
  }
}

const run = promisify(execFile)

/** Runs one of the cluster's scripts (`scripts/cluster/down.sh --kill command-api-1`), rejecting with its output when it fails. */
async function script(path: string, ...args: string[]): Promise<void> {
  try {
    await run('bash', [path, ...args], { env: process.env, timeout: 180_000 })
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string }
    throw new Error(`bash ${path} ${args.join(' ')} failed:\n${stdout ?? ''}${stderr ?? ''}`, { cause: error })
  }
}

/** A process of the cluster (command-api-1, query-api-2, projectors), killed at once (SIGKILL), or started again and ready. */
export const killProcess = (name: string) => script('scripts/cluster/down.sh', '--kill', name)
export const startProcess = (name: string) => script('scripts/cluster/up.sh', name)
/** A server of the native stack (kafka, postgres, ...), stopped, or started again and answering. */
export const stopServer = (name: string) => script('scripts/stack/down.sh', name)
export const startServer = (name: string) => script('scripts/stack/up.sh', name)

export interface Outcome {
  status: number
  /** When the answer came (ms since the epoch), and how long it took. */
  at: number
  ms: number
  reply?: Reply
  /** Why no answer came (a refused connection, the time bound). */
  error?: string
}

/** One request that always resolves: status 0 when no answer came within `timeoutMs`. */
export async function attempt(client: Client, route: string, call: Call = {}, timeoutMs = 10_000): Promise<Outcome> {
  const started = Date.now()
  try {
    const reply = await client.send(route, { ...call, timeoutMs })
    return { status: reply.status, at: Date.now(), ms: Date.now() - started, reply }
  } catch (error) {
    return { status: 0, at: Date.now(), ms: Date.now() - started, error: String((error as Error).cause ?? error) }
  }
}

export const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))
