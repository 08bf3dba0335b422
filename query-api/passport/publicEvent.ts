/**
 * THE public form of a product event, shared by /history, /live and the public page. People appear only
 * as their owner consent allows, and so do the details of their periods (showsDetailsOf, the rule the
 * ownership timeline follows too), secrets never (claim-code hashes, payment references,
 * who moderated), and a story's text and photos only while the story is published and not deleted.
 */
import type { RecordedEvent } from '../../eventlog/port.ts'
import type { Passport } from './load.ts'
import { showsDetailsOf, type PersonRef } from './people.ts'

export interface PublicEvent {
  position: string
  revision: number
  source?: 'brand'
  type: string
  occurredAt: string
  actor: PersonRef
  data: Record<string, unknown>
}

const PERSON_FIELDS = new Set(['brandId', 'fromUserId', 'toUserId', 'ownerId', 'authorId', 'sellerId', 'buyerId', 'issuedBy', 'deletedBy', 'cancelledBy'])
const SECRET_FIELDS = new Set(['claimCodeHash', 'paymentReference', 'moderatorId', 'verifiedBy', 'grantedBy', 'rejectedBy', 'revokedBy'])
const STORY_FIELDS = new Set(['title', 'body', 'mediaIds', 'reason', 'moderationReason'])
/** The owner whose period an event opens (a transfer) or happens in (a sale, a claim code): the first one named. */
const PERIOD_OWNER_FIELDS = ['toUserId', 'sellerId', 'issuedBy'] as const
/** When, how and at what price: what a hidden owner's period does not show. */
const PERIOD_DETAIL_FIELDS = new Set(['at', 'via', 'price', 'suggestedPrice', 'listedAt', 'reservedAt', 'soldAt', 'expiresAt'])

const periodOwnerOf = (data: Record<string, unknown>): string | undefined =>
  PERIOD_OWNER_FIELDS.map(field => data[field]).find((value): value is string => typeof value === 'string')

export const isStoryShown = ({ state }: Passport, storyId: unknown): boolean => {
  const story = typeof storyId === 'string' ? state.stories[storyId] : undefined
  return story !== undefined && story.status === 'published' && !story.deleted
}

export function presentEvent(event: RecordedEvent, passport: Passport): PublicEvent {
  const storyHidden = 'storyId' in event.data && !isStoryShown(passport, event.data.storyId)
  const detailsHidden = !showsDetailsOf(passport.people, periodOwnerOf(event.data))
  const data: Record<string, unknown> = {}
  for (const [field, value] of Object.entries(event.data)) {
    if (SECRET_FIELDS.has(field) || (STORY_FIELDS.has(field) && storyHidden)) continue
    if (PERSON_FIELDS.has(field)) data[field] = passport.people.ref(value as string)?.userId ?? null
    else data[field] = PERIOD_DETAIL_FIELDS.has(field) && detailsHidden ? null : value
  }
  return {
    position: String(event.position),
    revision: event.revision,
    type: event.type,
    occurredAt: event.metadata.occurredAt,
    actor: passport.people.ref(event.metadata.actorId),
    data,
  }
}
