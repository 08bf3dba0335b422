/**
 * A scan of a product reported lost or stolen is noted in its stream (the decider keeps it to once an hour), and the
 * notification projection tells the owner. The scan does not wait for it; nothing about the scanner is recorded.
 */
import type { FastifyRequest } from 'fastify'
import type { CommandApiContext as AppContext } from '../../app/context.ts'
import { streams } from '../../domain/ids.ts'
import type { NoteScan } from '../../domain/product/protectionCommands.ts'
import { productDecider } from '../../domain/product/index.ts'
import { commandMetadata } from '../../http/commandContext.ts'
import { handleCommand } from '../handleCommand.ts'
import { SYSTEM_ACTOR } from '../reservationExpiry.ts'

export function noteScanWhileReported(ctx: AppContext, request: FastifyRequest, productId: string): void {
  const metadata = commandMetadata(request, { userId: SYSTEM_ACTOR, roles: [] })
  const command: NoteScan = { type: 'NoteScan', data: { productId }, metadata }
  handleCommand({ log: ctx.eventLog, streamId: streams.product(productId), decider: productDecider, command, metadata, newEventId: ctx.newId }).catch(error =>
    request.log.warn({ err: error, productId }, 'a scan of a reported product was not noted'),
  )
}
