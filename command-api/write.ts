/**
 * What every write route does after validation: stamp the command with the caller and the time, run it
 * through handleCommand on its stream, and for product writes honour If-Match and answer with the ETag.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { CommandApiContext } from '../app/context.ts'
import { collectionDecider } from '../domain/collection/index.ts'
import type { CollectionCommand } from '../domain/collection/commands.ts'
import { productIdOf, streams } from '../domain/ids.ts'
import { productDecider, type ProductEvent, type ProductState } from '../domain/product/index.ts'
import type { ProductCommand } from '../domain/product/commands.ts'
import { commandMetadata } from '../http/commandContext.ts'
import { ifMatchRevision, setETag } from '../http/etag.ts'
import { HttpProblem } from '../http/problem.ts'
import { handleCommand, type HandleCommand } from './handleCommand.ts'

/** A command as a route writes it; the metadata is added here. */
export type Unstamped<Command> = Command extends unknown ? Omit<Command, 'metadata'> : never

export async function writeProduct(
  ctx: CommandApiContext,
  request: FastifyRequest,
  reply: FastifyReply,
  command: Unstamped<ProductCommand>,
  { beforeAppend }: Pick<HandleCommand<ProductCommand, ProductEvent, ProductState>, 'beforeAppend'> = {},
) {
  const metadata = commandMetadata(request)
  const stamped = { ...command, metadata } as ProductCommand
  const streamId = streams.product(command.data.productId)
  const ifMatch = ifMatchRevision(request)
  const result = await handleCommand({ log: ctx.eventLog, streamId, decider: productDecider, command: stamped, metadata, ifMatch, newEventId: ctx.newId, beforeAppend })
  setETag(reply, result.revision)
  return result
}

export async function writeCollection(ctx: CommandApiContext, request: FastifyRequest, command: Unstamped<CollectionCommand>) {
  const metadata = commandMetadata(request)
  const stamped = { ...command, metadata } as CollectionCommand
  return handleCommand({ log: ctx.eventLog, streamId: streams.collection(command.data.collectionId), decider: collectionDecider, command: stamped, metadata, newEventId: ctx.newId })
}

/** The decimal string every write answers with. */
export const positionOf = (result: { position: number }): string => String(result.position)

/** The product a story, listing, transaction or claim code id belongs to; an id that names none is a 404. */
export function productOf(id: string, what: string): string {
  const productId = productIdOf(id)
  if (productId === null) throw new HttpProblem(404, 'Not Found', `${what} not found`)
  return productId
}
