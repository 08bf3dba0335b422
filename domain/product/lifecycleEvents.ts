/**
 * The product's life after sale: records written by partners (or its brand), each waiting for the owner's
 * consent, and the data the brand gives for repairers, recyclers and authorities.
 */
import type { DomainEvent } from '../decider.ts'

export type LifecycleType = 'repair' | 'alteration' | 'cleaning' | 'inspection' | 'take_back' | 'recycling'

/** The role a record was written in: a partner role, or the product's own brand. */
export type PartnerRole = 'repairer' | 'reseller' | 'recycler' | 'brand'

export type LifecycleStatus = 'pending_owner' | 'accepted' | 'refused'

export interface LifecycleRecord {
  lifecycleId: string
  type: LifecycleType
  description: string
  occurredAt: string
  mediaIds: string[]
  details?: Record<string, string>
  partnerId: string
  partnerRole: PartnerRole
}

/** Written by a partner; `ownerId` is the owner asked to accept it. */
export type LifecycleRecorded = DomainEvent<'LifecycleRecorded', LifecycleRecord & { productId: string; ownerId: string; recordedAt: string }>

/** Carries what readers need without the record: an accepted take_back moves ownership, a recycling ends the product's life. */
export type LifecycleAccepted = DomainEvent<
  'LifecycleAccepted',
  { productId: string; lifecycleId: string; type: LifecycleType; partnerId: string; partnerRole: PartnerRole; ownerId: string; acceptedAt: string }
>

export type LifecycleRefused = DomainEvent<'LifecycleRefused', { productId: string; lifecycleId: string; ownerId: string; refusedAt: string }>

export interface SubstanceOfConcern {
  name: string
  casNumber?: string
  location?: string
}

export interface ComplianceDocument {
  name: string
  url: string
}

/** What the brand tells beyond the public passport: care for everyone, the rest for professionals and authorities. */
export interface PassportData {
  care?: string
  repairInstructions?: string
  disassembly?: string
  substancesOfConcern?: SubstanceOfConcern[]
  compliance?: ComplianceDocument[]
  legalName?: string
  address?: string
}

/** The fields given replace the brand's earlier ones; the others stay. */
export type PassportDataUpdated = DomainEvent<'PassportDataUpdated', PassportData & { productId: string; updatedBy: string; updatedAt: string }>

export type LifecycleEvent = LifecycleRecorded | LifecycleAccepted | LifecycleRefused | PassportDataUpdated
