/**
 * THE public form of a product event, shared by /history, /live and the public page. People appear only
 * as their owner consent allows, and so do the details of their periods (showsDetailsOf, the rule the
 * ownership timeline follows too), secrets never (claim-code hashes, payment references,
 * who moderated, an owner's note on a lost or stolen report), a story's text and photos only while the story is published and not
 * deleted, lifecycle records only once their owner accepted them, and of the brand's passport data only what the public view shows.
 */
import type { RecordedEvent } from '../../eventlog/port.ts'
import type { Passport } from './load.ts'
import { showsDetailsOf, type PersonRef } from './people.ts'
import { RESTRICTED_PASSPORT_FIELDS } from './views.ts'

export interface PublicEvent {
  position: string
  revision: number
  source?: 'brand'
  type: string
  occurredAt: string
  actor: PersonRef
  data: Record<string, unknown>
}

const PERSON_FIELDS = new Set(['brandId', 'fromUserId', 'toUserId', 'ownerId', 'authorId', 'sellerId', 'buyerId', 'issuedBy', 'deletedBy', 'cancelledBy', 'updatedBy', 'reportedBy', 'clearedBy'])
/** Secrets (among them who verified a brand, or revoked a brand or a proof), and the passport data of the professional and authority views. */
const SECRET_FIELDS = new Set(['claimCodeHash', 'proofHash', 'paymentReference', 'moderatorId', 'note', 'verifiedBy', 'grantedBy', 'rejectedBy', 'revokedBy', ...RESTRICTED_PASSPORT_FIELDS])
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

/** A lifecycle record and its decision show once the owner accepted it; a pending or refused one never does. */
export function isEventShown(event: RecordedEvent, { state }: Passport): boolean {
  if (event.type === 'LifecycleRefused') return false
  if (event.type !== 'LifecycleRecorded') return true
  return state.lifecycle[event.data.lifecycleId as string]?.status === 'accepted'
}

/** The events the public sees, in public form. */
export const presentEvents = (events: readonly RecordedEvent[], passport: Passport): PublicEvent[] =>
  events.filter(event => isEventShown(event, passport)).map(event => presentEvent(event, passport))

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
