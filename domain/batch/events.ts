import type { DomainEvent } from '../decider.ts'

/** One item of a batch as POST /api/products takes it, already valid in shape. */
export type BatchItem = Record<string, unknown> & { name: string; serialNumber?: string }

export interface IssuedItem {
  index: number
  productId: string
  qrCode: string
  qrUrl: string
  serialNumber: string
}

/** An item refused with what a single POST /api/products would have answered. */
export interface FailedItem {
  index: number
  status: number
  detail: string
  errors: { path: string; message: string }[]
}

/** `items` holds null for an item refused as it was submitted (its refusal is recorded with it). */
export type BatchSubmitted = DomainEvent<'BatchSubmitted', { batchId: string; brandId: string; items: (BatchItem | null)[]; submittedAt: string }>

/** Items issued or refused since the last progress; an item is recorded once. */
export type BatchProgressed = DomainEvent<'BatchProgressed', { batchId: string; issued: IssuedItem[]; failed: FailedItem[] }>

export type BatchFinished = DomainEvent<'BatchFinished', { batchId: string; status: 'completed' | 'failed'; finishedAt: string }>

export type BatchEvent = BatchSubmitted | BatchProgressed | BatchFinished
