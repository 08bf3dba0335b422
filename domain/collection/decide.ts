import { Conflict, Forbidden, NotFound, RuleViolated } from '../errors.ts'
import { materialsAddUp } from '../product/materials.ts'
import { defined } from '../defined.ts'
import type { AddDesign, CollectionCommand, CreateCollection } from './commands.ts'
import type { CollectionCreated, CollectionEvent, DesignAdded } from './events.ts'
import type { CollectionState } from './state.ts'

export const createCollection = ({ data, metadata }: CreateCollection, state: CollectionState): [CollectionCreated] => {
  if (state.exists) throw new Conflict('collection already exists')
  if (!metadata.roles.includes('brand')) throw new Forbidden('only a brand can create collections')
  if (data.brandId !== metadata.actorId) throw new Forbidden('a brand can only create its own collections')
  return [{ type: 'CollectionCreated', data: defined({ ...data, createdAt: metadata.now }) }]
}

export const addDesign = ({ data, metadata }: AddDesign, state: CollectionState): [DesignAdded] => {
  if (!state.exists) throw new NotFound('collection not found')
  if (state.brandId !== metadata.actorId) throw new Forbidden("only the collection's brand can add designs")
  if (state.designIds.includes(data.designId)) throw new Conflict('design already exists')
  if (data.materials !== undefined && !materialsAddUp(data.materials))
    throw new RuleViolated('material percentages must add up to 100')
  return [{ type: 'DesignAdded', data: defined({ ...data, addedAt: metadata.now }) }]
}

export const decide = (command: CollectionCommand, state: CollectionState): CollectionEvent[] => {
  switch (command.type) {
    case 'CreateCollection':
      return createCollection(command, state)
    case 'AddDesign':
      return addDesign(command, state)
    default: {
      const unknown: never = command
      throw new Error(`unknown collection command ${(unknown as CollectionCommand).type}`)
    }
  }
}
