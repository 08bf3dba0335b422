/**
 * What each role reads of a passport: `public` (anyone), `professional` (repairers, resellers, recyclers, the
 * product's brand, and the roles above), `authority` (authorities, admins). The lifecycle records each may see.
 */
import type { AppContext } from '../../app/context.ts'
import type { LifecycleEntry } from '../../domain/product/state.ts'
import type { PassportData } from '../../domain/product/lifecycleEvents.ts'
import type { Role } from '../../domain/user/events.ts'
import { collections, type UserDoc } from '../../readmodels/documents.ts'
import type { Passport } from './load.ts'

export type PassportView = 'public' | 'professional' | 'authority'

export const PROFESSIONAL_FIELDS = ['repairInstructions', 'disassembly', 'substancesOfConcern'] as const satisfies readonly (keyof PassportData)[]
export const AUTHORITY_FIELDS = ['compliance', 'legalName', 'address'] as const satisfies readonly (keyof PassportData)[]
/** The passport data the public view (and so /history) never shows. */
export const RESTRICTED_PASSPORT_FIELDS: readonly string[] = [...PROFESSIONAL_FIELDS, ...AUTHORITY_FIELDS]

const PROFESSIONAL_ROLES: readonly Role[] = ['repairer', 'reseller', 'recycler']
const AUTHORITY_ROLES: readonly Role[] = ['authority', 'admin']

/**
 * The role a caller reads `view` in, or null when the view is above the caller's role. The product's brand reads
 * its own products' professional view; an authority or admin reads any view.
 */
export function viewerRole(view: PassportView, caller: { userId: string; roles: readonly Role[] }, brandId: string): string | null {
  const authority = AUTHORITY_ROLES.find(role => caller.roles.includes(role))
  if (view === 'authority') return authority ?? null
  const professional = PROFESSIONAL_ROLES.find(role => caller.roles.includes(role))
  return professional ?? (caller.userId === brandId ? 'brand' : null) ?? authority ?? null
}

export const passportDataFor = (view: PassportView, data: PassportData) => {
  const shown: (keyof PassportData)[] = [...(view === 'public' ? [] : PROFESSIONAL_FIELDS), ...(view === 'authority' ? AUTHORITY_FIELDS : [])]
  return { care: data.care ?? null, ...Object.fromEntries(shown.map(field => [field, data[field] ?? null])) }
}

export interface LifecycleItem {
  lifecycleId: string
  type: string
  description: string
  occurredAt: string
  partner: { userId: string; displayName: string | null; role: string }
  status: LifecycleEntry['status']
  mediaIds: string[]
  details: Record<string, string> | null
}

/** The records that pass `shown`, in the order they were written, each with its partner's name. */
export async function lifecycleItems(ctx: AppContext, { state }: Passport, shown: (record: LifecycleEntry) => boolean): Promise<LifecycleItem[]> {
  const records = Object.values(state.lifecycle).filter(shown)
  const partnerIds = [...new Set(records.map(record => record.partnerId))]
  const partners = await Promise.all(partnerIds.map(userId => ctx.readModels.get<UserDoc>(collections.users, userId)))
  const names = new Map(partnerIds.map((userId, i) => [userId, partners[i]?.erased ? null : (partners[i]?.displayName ?? null)]))
  return records.map(({ lifecycleId, type, description, occurredAt, partnerId, partnerRole, status, mediaIds, details }) => ({
    lifecycleId,
    type,
    description,
    occurredAt,
    partner: { userId: partnerId, displayName: names.get(partnerId) ?? null, role: partnerRole },
    status,
    mediaIds,
    details: details ?? null,
  }))
}

export const isAccepted = (record: LifecycleEntry): boolean => record.status === 'accepted'
