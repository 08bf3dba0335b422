/**
 * Lifecycle records: a partner (repairer, reseller, recycler) or the product's brand writes what it did to the
 * garment; the record waits for the current owner, who accepts or refuses it. An accepted take_back makes the
 * partner the owner; an accepted recycling ends the product's life, after which nothing more is recorded.
 */
import { Conflict, Forbidden, NotFound, RuleViolated } from '../../errors.ts'
import { defined } from '../../defined.ts'
import type { DecideLifecycle, RecordLifecycle } from '../lifecycleCommands.ts'
import type { OwnershipTransferred } from '../events.ts'
import type { LifecycleAccepted, LifecycleRecorded, LifecycleRefused, LifecycleType, PartnerRole } from '../lifecycleEvents.ts'
import type { ProductState } from '../state.ts'
import { hasRole, isAtOrAfter, requireAlive, requireNotListed, requireOwner, requireProduct, requireTime } from './guards.ts'

/** Which types each role may write: every partner and the brand write any record but recycling, which only a recycler does. */
const ALL_BUT_RECYCLING: readonly LifecycleType[] = ['repair', 'alteration', 'cleaning', 'inspection', 'take_back']
const WRITERS: Record<PartnerRole, readonly LifecycleType[]> = {
  repairer: ALL_BUT_RECYCLING,
  reseller: ALL_BUT_RECYCLING,
  recycler: [...ALL_BUT_RECYCLING, 'recycling'],
  brand: ALL_BUT_RECYCLING,
}

const PARTNER_ROLES: readonly PartnerRole[] = ['recycler', 'repairer', 'reseller']

/** The role the actor writes `type` in: the first partner role that may write it, else the brand of the product. */
function writerRole(state: ProductState, actorId: string, roles: readonly string[], type: LifecycleType): PartnerRole {
  const held = PARTNER_ROLES.filter(role => hasRole(roles, role))
  const allowed = held.find(role => WRITERS[role].includes(type))
  if (allowed) return allowed
  const isBrand = actorId === state.brandId
  if (isBrand && WRITERS.brand.includes(type)) return 'brand'
  if (type === 'recycling' && (isBrand || held.length > 0)) throw new Forbidden('only a recycler can record a recycling')
  throw new Forbidden('only a repairer, reseller, recycler or the product’s brand can write lifecycle records')
}

export const recordLifecycle = ({ data, metadata }: RecordLifecycle, state: ProductState): [LifecycleRecorded] => {
  requireProduct(state)
  const partnerRole = writerRole(state, metadata.actorId, metadata.roles, data.type)
  requireAlive(state)
  if (state.lifecycle[data.lifecycleId]) throw new Conflict('lifecycle record already exists')
  requireTime(data.occurredAt, 'occurredAt')
  if (!isAtOrAfter(metadata.now, data.occurredAt)) throw new RuleViolated('a lifecycle record cannot happen in the future')
  if (!isAtOrAfter(data.occurredAt, state.createdAt)) throw new RuleViolated('a lifecycle record cannot happen before the product was made')
  return [
    {
      type: 'LifecycleRecorded',
      data: defined({ ...data, partnerId: metadata.actorId, partnerRole, ownerId: state.ownerId, recordedAt: metadata.now }),
    },
  ]
}

export const decideLifecycle = (
  { data, metadata }: DecideLifecycle,
  state: ProductState,
): (LifecycleAccepted | LifecycleRefused | OwnershipTransferred)[] => {
  requireProduct(state)
  const record = state.lifecycle[data.lifecycleId]
  if (!record) throw new NotFound('lifecycle record not found')
  requireOwner(state, metadata.actorId, 'decide on a lifecycle record')
  if (record.status !== 'pending_owner') throw new Conflict(`the lifecycle record is already ${record.status}`)
  const { productId, lifecycleId } = data
  const ownerId = metadata.actorId
  if (data.decision === 'refuse') return [{ type: 'LifecycleRefused', data: { productId, lifecycleId, ownerId, refusedAt: metadata.now } }]

  requireAlive(state)
  const { type, partnerId, partnerRole } = record
  const accepted: LifecycleAccepted = {
    type: 'LifecycleAccepted',
    data: { productId, lifecycleId, type, partnerId, partnerRole, ownerId, acceptedAt: metadata.now },
  }
  if (type === 'recycling') requireNotListed(state)
  if (type !== 'take_back' || partnerId === ownerId) return [accepted]
  requireNotListed(state)
  const takenBack: OwnershipTransferred = {
    type: 'OwnershipTransferred',
    data: { productId, fromUserId: ownerId, toUserId: partnerId, via: 'take_back', at: metadata.now },
  }
  return [accepted, takenBack]
}
