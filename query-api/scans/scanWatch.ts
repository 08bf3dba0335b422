/**
 * Clone detection: every scan of a signed code counts its client's network in the cache port (in process, or Redis
 * shared by every instance); a code seen from more networks within the window than the threshold is flagged, and
 * the product stream gets a ScanAnomalyDetected (counts only) through the product decider, once. Until the
 * product's read model shows the flag, this process remembers it; the very scan that crossed reads suspicious.
 */
import type { FastifyRequest } from 'fastify'
import { LRUCache } from 'lru-cache'
import type { AppContext } from '../../app/context.ts'
import type { FlagScanAnomaly } from '../../domain/product/commands.ts'
import { clientNetwork } from './clientNetwork.ts'

const FLAGGED_KEPT = 10_000

/** Who scanned, when, and where a failure to flag goes. */
export interface Scanner {
  clientAddress: string
  receivedAt: string
  onError(error: unknown): void
}

/** A request as a scanner: its client address is the TCP peer's, or X-Forwarded-For's behind TRUST_PROXY. */
export const scannerOf = (request: FastifyRequest): Scanner => ({
  clientAddress: request.ip,
  receivedAt: request.receivedAt,
  onError: error => request.log.error({ err: error }, 'a scan anomaly could not be recorded'),
})

export interface ScanWatch {
  /** Counts the scan; resolves true when the code is (now) flagged as a possible clone. */
  count(productId: string, qrCode: string, scanner: Scanner): Promise<boolean>
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

function scanWatch(ctx: AppContext, record: RecordScanAnomaly): ScanWatch {
  const { networks: threshold, windowMinutes } = ctx.config.scanAnomaly
  const windowMs = windowMinutes * 60_000
  const flaggedCodes = new LRUCache<string, true>({ max: FLAGGED_KEPT })

  const flag = (productId: string, qrCode: string, networks: number, now: string) =>
    record({ productId, qrCode, networks, threshold, windowMinutes, now })

  return {
    flagged: qrCode => flaggedCodes.has(qrCode),
    async count(productId, qrCode, { clientAddress, receivedAt, onError }) {
      if (flaggedCodes.has(qrCode)) return true
      const network = clientNetwork(clientAddress)
      if (network === null) return false
      const networks = await ctx.cache.countDistinct(`scan-networks:${qrCode}`, network, { windowMs, nowMs: Date.parse(receivedAt) })
      if (networks <= threshold) return false
      flaggedCodes.set(qrCode, true)
      // The scan that crosses waits for the event (once per code), so that it is in the log when the answer leaves.
      await flag(productId, qrCode, networks, receivedAt).catch(onError)
      return true
    },
  }
}
