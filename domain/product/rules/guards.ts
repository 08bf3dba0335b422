import { Conflict, Forbidden, NotFound, RuleViolated } from '../../errors.ts'
import { openListing, type ProductState } from '../state.ts'

export const requireProduct = (state: ProductState): void => {
  if (!state.exists) throw new NotFound('product not found')
}

export const requireOwner = (state: ProductState, actorId: string, action: string): void => {
  if (state.ownerId !== actorId) throw new Forbidden(`only the current owner can ${action}`)
}

export const requireNotListed = (state: ProductState): void => {
  const listing = openListing(state)
  if (listing) throw new Conflict(`the product is ${listing.status === 'reserved' ? 'reserved' : 'listed'} for resale`)
}

/** After an accepted recycling the product is no more: no transfer, claim, listing, story or record. */
export const requireAlive = (state: ProductState): void => {
  if (state.endOfLife) throw new Conflict(`the product's life has ended (${state.endOfLife.type})`)
}

export const hasRole = (roles: readonly string[], role: string): boolean => roles.includes(role)

export const requireTime = (value: string, field: string): void => {
  if (Number.isNaN(Date.parse(value))) throw new RuleViolated(`${field} is not a valid time`)
}

export const isAtOrAfter = (time: string, reference: string): boolean => Date.parse(time) >= Date.parse(reference)
