import type { DomainEvent } from '../decider.ts'
import type { Material } from '../product/events.ts'

export type CollectionCreated = DomainEvent<
  'CollectionCreated',
  { collectionId: string; brandId: string; brandName: string; name: string; season?: string; description?: string; createdAt: string }
>

export type DesignAdded = DomainEvent<
  'DesignAdded',
  { collectionId: string; designId: string; name: string; description?: string; materials?: Material[]; addedAt: string }
>

export type CollectionEvent = CollectionCreated | DesignAdded
