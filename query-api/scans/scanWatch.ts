/**
 * Clone detection: every scan of a signed code counts its client's network in the cache port (in process, or Redis
 * shared by every instance); a code seen from more networks within the window than the threshold is flagged, and
 * the product stream gets a ScanAnomalyDetected (counts only) through the product decider, once. Until the
 * product's read model shows the flag, this process remembers it; the very scan that crossed reads suspicious.
 */
import type { FastifyRequest } from 'fastify'
import { LRUCache } from 'lru-cache'
import type { AppContext } from '../../app/context.ts'
import { streams } from '../../domain/ids.ts'
import { productDecider } from '../../domain/product/index.ts'
import type { FlagScanAnomaly } from '../../domain/product/commands.ts'
import { handleCommand } from '../../command-api/handleCommand.ts'
import { clientNetwork } from './clientNetwork.ts'

const SYSTEM = 'system'
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

const watches = new WeakMap<AppContext, ScanWatch>()

/** The one watch of a process's context, shared by the scan JSON and the public page. */
export function scanWatchOf(ctx: AppContext): ScanWatch {
  let watch = watches.get(ctx)
  if (!watch) watches.set(ctx, (watch = scanWatch(ctx)))
  return watch
}

function scanWatch(ctx: AppContext): ScanWatch {
  const { networks: threshold, windowMinutes } = ctx.config.scanAnomaly
  const windowMs = windowMinutes * 60_000
  const flaggedCodes = new LRUCache<string, true>({ max: FLAGGED_KEPT })

  const flag = async (productId: string, qrCode: string, networks: number, now: string) => {
    const metadata = { actorId: SYSTEM, roles: [], now, correlationId: ctx.newId(), causationId: ctx.newId() }
    const command: FlagScanAnomaly = { type: 'FlagScanAnomaly', data: { productId, qrCode, networks, threshold, windowMinutes }, metadata }
    await handleCommand(ctx.eventLog, streams.product(productId), productDecider, command, metadata, { newEventId: ctx.newId })
  }

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
