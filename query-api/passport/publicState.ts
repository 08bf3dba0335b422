/**
 * The product decider's state, as of some time, in public form: consent and story visibility are the
 * passport's latest, as for events; no claim codes, reservations' buyers or transactions.
 */
import { openListing, type ProductState } from '../../domain/product/state.ts'
import type { Money } from '../../domain/money.ts'
import type { Passport } from './load.ts'
import { presentOwners, type PublicOwnerPeriod } from './owners.ts'
import type { PersonRef } from './people.ts'
import { isStoryShown } from './publicEvent.ts'

export interface PublicStory {
  storyId: string
  author: PersonRef
  /** Null once the author is erased. */
  title: string | null
  body: string | null
  occurredAt: string
  mediaIds: string[] | null
}

export interface PublicProductState {
  productId: string
  createdAt: string
  originalPrice: Money | null
  currentOwner: PersonRef
  owners: PublicOwnerPeriod[]
  qrCode: string | null
  revokedQrCodes: string[]
  stories: PublicStory[]
  activeListing: { listingId: string; price: Money; condition: string; description: string | null; status: string } | null
}

export function presentState(state: ProductState, passport: Passport): PublicProductState {
  const listing = openListing(state)
  return {
    productId: state.productId,
    createdAt: state.createdAt,
    originalPrice: state.originalPrice ?? null,
    currentOwner: passport.people.ref(state.ownerId),
    owners: presentOwners(
      state.owners.map(({ ownerId, from, to }) => ({ userId: ownerId, from, to })),
      passport.people,
    ),
    qrCode: state.qrCode,
    revokedQrCodes: state.revokedQrCodes,
    stories: Object.entries(state.stories)
      .filter(([storyId, story]) => story.status === 'published' && !story.deleted && isStoryShown(passport, storyId))
      .map(([storyId, { authorId, content }]) => ({ storyId, author: passport.people.ref(authorId), ...content }))
      .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt)),
    activeListing: listing && {
      listingId: listing.listingId,
      price: listing.price,
      condition: listing.condition,
      description: listing.description ?? null,
      status: listing.status,
    },
  }
}
