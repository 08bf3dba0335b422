import type { DomainCommand } from '../decider.ts'
import type { CollectionCreated, DesignAdded } from './events.ts'

export type CreateCollection = DomainCommand<'CreateCollection', Omit<CollectionCreated['data'], 'createdAt'>>

export type AddDesign = DomainCommand<'AddDesign', Omit<DesignAdded['data'], 'addedAt'>>

export type CollectionCommand = CreateCollection | AddDesign
