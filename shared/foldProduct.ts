/** A product's state as the product decider folds it from the recorded events of its stream. */
import { fold } from '../domain/decider.ts'
import { productDecider, type ProductEvent, type ProductState } from '../domain/product/index.ts'
import type { RecordedEvent } from '../eventlog/port.ts'
import { toDomainEvent } from '../eventlog/domainEvents.ts'

export const foldProduct = (events: readonly RecordedEvent[]): ProductState =>
  fold(productDecider, events.map(event => toDomainEvent<ProductEvent>(event)))
