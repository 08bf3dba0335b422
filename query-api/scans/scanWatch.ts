/**
 * Clone detection: every scan of a signed code counts its client's network in the cache port (in process, or Redis
 * shared by every instance); a code seen from more networks within the window than the threshold is flagged, and
 * the product stream gets a ScanAnomalyDetected (counts only) through the product decider, once. Until the
 * product's read model shows the flag, this process remembers it; the very scan that crossed reads suspicious.
 *
 * A network this process counted for a code within the last sixtieth of the window is not counted again: it adds
 * no network, so the answer is known without the cache port, at once (the warm scan's path). Its sighting in the
 * port is then at most that much older than the latest, so it may leave the window that much early: the count can
 * fall short by a network seen only at the window's edge, never exceed what was seen.
 */
import type { FastifyBaseLogger, FastifyRequest } from 'fastify'
import { LRUCache } from 'lru-cache'
import type { AppContext } from '../../app/context.ts'
import type { FlagScanAnomaly } from '../../domain/product/commands.ts'
import { clientNetwork } from './clientNetwork.ts'

const FLAGGED_KEPT = 10_000
/** Codes whose last counted network this process remembers, and the networks of client addresses. */
const SIGHTINGS_KEPT = 100_000
const NETWORKS_KEPT = 10_000
/** The part of the window within which a network counted for a code is not counted again. */
const RECOUNT_FRACTION = 60

/** Who scanned, when, and where a failure to flag is logged. */
export interface Scanner {
  clientAddress: string
  receivedAt: string
  log: FastifyBaseLogger
}

/** A request as a scanner: its client address is the TCP peer's, or X-Forwarded-For's behind TRUST_PROXY. */
export const scannerOf = (request: FastifyRequest): Scanner => ({ clientAddress: request.ip, receivedAt: request.receivedAt, log: request.log })

export interface ScanWatch {
  /** Counts the scan; true (or a promise of it) when the code is (now) flagged as a possible clone. */
  count(productId: string, qrCode: string, scanner: Scanner): boolean | Promise<boolean>
  /** Whether this process flagged the code (its read model may not show it yet). */
  flagged(qrCode: string): boolean
}

/** Writes ScanAnomalyDetected on the product (command-api/scans/scanAnomaly.ts, given by app/buildApp). */
export type RecordScanAnomaly = (anomaly: FlagScanAnomaly['data'] & { now: string }) => Promise<void>

const watches = new WeakMap<AppContext, ScanWatch>()

/** Starts the one watch of a process's context; app/buildApp does, before the query routes are registered. */
export function watchScans(ctx: AppContext, record: RecordScanAnomaly): void {
  if (!watches.has(ctx)) watches.set(ctx, scanWatch(ctx, record))
}

/** The watch of a process's context, shared by the scan JSON, the resolver and the public page. */
export function scanWatchOf(ctx: AppContext): ScanWatch {
  const watch = watches.get(ctx)
  if (!watch) throw new Error('no scan watch: app/buildApp starts it with watchScans')
  return watch
}

/** The last network counted for a code, and when (ms). */
interface Sighting {
  network: string
  atMs: number
}

function scanWatch(ctx: AppContext, record: RecordScanAnomaly): ScanWatch {
  const { networks: threshold, windowMinutes } = ctx.config.scanAnomaly
  const windowMs = windowMinutes * 60_000
  const recountAfterMs = windowMs / RECOUNT_FRACTION
  const flaggedCodes = new LRUCache<string, true>({ max: FLAGGED_KEPT })
  const lastSightings = new LRUCache<string, Sighting>({ max: SIGHTINGS_KEPT })
  const networks = new LRUCache<string, string | false>({ max: NETWORKS_KEPT })
  const networkOf = (address: string): string | null => {
    let network = networks.get(address)
    if (network === undefined) networks.set(address, (network = clientNetwork(address) ?? false))
    return network || null
  }

  const flag = (productId: string, qrCode: string, count: number, now: string) =>
    record({ productId, qrCode, networks: count, threshold, windowMinutes, now })

  const countInPort = async (productId: string, qrCode: string, network: string, nowMs: number, { receivedAt, log }: Scanner): Promise<boolean> => {
    const count = await ctx.cache.countDistinct(`scan-networks:${qrCode}`, network, { windowMs, nowMs })
    lastSightings.set(qrCode, { network, atMs: nowMs })
    if (count <= threshold) return false
    flaggedCodes.set(qrCode, true)
    // The scan that crosses waits for the event (once per code), so that it is in the log when the answer leaves.
    await flag(productId, qrCode, count, receivedAt).catch((error: unknown) => log.error({ err: error }, 'a scan anomaly could not be recorded'))
    return true
  }

  return {
    flagged: qrCode => flaggedCodes.has(qrCode),
    count(productId, qrCode, scanner) {
      if (flaggedCodes.has(qrCode)) return true
      const network = networkOf(scanner.clientAddress)
      if (network === null) return false
      const nowMs = Date.parse(scanner.receivedAt)
      const last = lastSightings.get(qrCode)
      if (last?.network === network && nowMs >= last.atMs && nowMs - last.atMs < recountAfterMs) return false
      return countInPort(productId, qrCode, network, nowMs, scanner)
    },
  }
}
