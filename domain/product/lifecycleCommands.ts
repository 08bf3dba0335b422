import type { DomainCommand } from '../decider.ts'
import type { LifecycleType, PassportData } from './lifecycleEvents.ts'

export type RecordLifecycle = DomainCommand<
  'RecordLifecycle',
  { productId: string; lifecycleId: string; type: LifecycleType; description: string; occurredAt: string; mediaIds: string[]; details?: Record<string, string> }
>

export type DecideLifecycle = DomainCommand<'DecideLifecycle', { productId: string; lifecycleId: string; decision: 'accept' | 'refuse' }>

export type SetPassportData = DomainCommand<'SetPassportData', { productId: string } & PassportData>

export type LifecycleCommand = RecordLifecycle | DecideLifecycle | SetPassportData
