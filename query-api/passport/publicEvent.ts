/**
 * THE public form of a product event, shared by /history, /live and the public page. People appear only
 * as their owner consent allows (see people.ts), secrets never (claim-code hashes, payment references,
 * who moderated), and a story's text and photos only while the story is published and not deleted.
 */
import type { RecordedEvent } from '../../eventlog/port.ts'
import type { Passport } from './load.ts'
import type { PersonRef } from './people.ts'

export interface PublicEvent {
  position: string
  revision: number
  type: string
  occurredAt: string
  actor: PersonRef
  data: Record<string, unknown>
}

const PERSON_FIELDS = new Set(['brandId', 'fromUserId', 'toUserId', 'ownerId', 'authorId', 'sellerId', 'buyerId', 'issuedBy', 'deletedBy', 'cancelledBy'])
const SECRET_FIELDS = new Set(['claimCodeHash', 'paymentReference', 'moderatorId'])
const STORY_FIELDS = new Set(['title', 'body', 'mediaIds', 'reason', 'moderationReason'])

export const isStoryShown = ({ state }: Passport, storyId: unknown): boolean => {
  const story = typeof storyId === 'string' ? state.stories[storyId] : undefined
  return story !== undefined && story.status === 'published' && !story.deleted
}

export function presentEvent(event: RecordedEvent, passport: Passport): PublicEvent {
  const storyHidden = 'storyId' in event.data && !isStoryShown(passport, event.data.storyId)
  const data: Record<string, unknown> = {}
  for (const [field, value] of Object.entries(event.data)) {
    if (SECRET_FIELDS.has(field) || (STORY_FIELDS.has(field) && storyHidden)) continue
    data[field] = PERSON_FIELDS.has(field) ? (passport.people.ref(value as string)?.userId ?? null) : value
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
