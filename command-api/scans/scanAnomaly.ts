/**
 * The one write a scan can cause: a code seen from too many client networks records ScanAnomalyDetected on its
 * product through the product decider. The query side counts the scans (query-api/scans/scanWatch.ts) and is
 * given this recorder by app/buildApp, as it never imports the command side.
 */
import type { CommandApiContext } from '../../app/context.ts'
import { streams } from '../../domain/ids.ts'
import { productDecider } from '../../domain/product/index.ts'
import type { FlagScanAnomaly } from '../../domain/product/commands.ts'
import { handleCommand } from '../handleCommand.ts'

const SYSTEM = 'system'

export const scanAnomalyRecorder =
  (ctx: CommandApiContext) =>
  async ({ now, ...data }: FlagScanAnomaly['data'] & { now: string }): Promise<void> => {
    const metadata = { actorId: SYSTEM, roles: [], now, correlationId: ctx.newId(), causationId: ctx.newId() }
    const command: FlagScanAnomaly = { type: 'FlagScanAnomaly', data, metadata }
    await handleCommand({ log: ctx.eventLog, streamId: streams.product(data.productId), decider: productDecider, command, metadata, newEventId: ctx.newId })
  }
