/** What a new product needs to know about its collection, folded from the collection stream. */
import type { CommandApiContext } from '../../app/context.ts'
import { collectionDecider, type CollectionEvent } from '../../domain/collection/index.ts'
import { fold } from '../../domain/decider.ts'
import { streams } from '../../domain/ids.ts'
import type { CollectionFacts } from '../../domain/product/commands.ts'
import { readDomainEvents } from '../../eventlog/domainEvents.ts'

/** null when the collection does not exist. */
export async function collectionFacts(ctx: CommandApiContext, collectionId: string): Promise<CollectionFacts | null> {
  const events = await readDomainEvents<CollectionEvent>(ctx.eventLog, streams.collection(collectionId))
  const { exists, brandId, designIds } = fold(collectionDecider, events)
  return exists ? { brandId, designIds } : null
}
