/**
 * Erasing a user, for DELETE /api/admin/users/{userId} and `audit erase-user`: UserErased through the user
 * decider; their tokens refused from then on (wherever the cache is shared); their email released for a new
 * account; the photos of their stories deleted from the media store; then their key, which leaves every piece
 * of their personal data in the log unreadable (crypto-shredding). The log itself is not touched, so its hash
 * chains still verify. The key goes last because the photo ids are sealed under it: a failure before then is
 * repaired by running it again (the deciders append nothing the second time, the photos are found again).
 */
import type { Cache, KeyStore, MediaStore } from '../../adapters/ports.ts'
import { streams } from '../../domain/ids.ts'
import type { StoryEdited, StorySubmitted } from '../../domain/product/events.ts'
import type { EraseUser } from '../../domain/user/commands.ts'
import { userDecider } from '../../domain/user/index.ts'
import type { EventLog } from '../../eventlog/port.ts'
import { releaseEmail } from '../auth/email.ts'
import { rememberRoles } from './roles.ts'
import { handleCommand, type CommandMetadata } from '../handleCommand.ts'

export interface ErasurePorts {
  /** The log with personal data opened. */
  eventLog: EventLog
  keys: KeyStore
  media: MediaStore
  /** Where the API looks up a token's current roles. */
  cache: Cache
}

export interface Erased {
  /** false when the user was already erased: nothing new was appended. */
  appended: boolean
  position: number
  /** Photos of their stories deleted from the media store (0 once the key is gone: their ids no longer read). */
  photos: number
}

const STORY_CONTENT: ReadonlySet<string> = new Set<(StorySubmitted | StoryEdited)['type']>(['StorySubmitted', 'StoryEdited'])

/** The photos the user ever showed in a story, read from the whole log while their key still opens it. */
async function photosOf(log: EventLog, userId: string): Promise<Set<string>> {
  const photos = new Set<string>()
  for await (const { type, data } of log.readAll()) {
    if (!STORY_CONTENT.has(type) || data.authorId !== userId) continue
    // null where the key no longer opens the event
    for (const mediaId of (data.mediaIds as string[] | null) ?? []) photos.add(mediaId)
  }
  return photos
}

/** Refused (NotFound) for a user who never registered; an admin, or the user themself, may erase. */
export async function eraseUser(
  ports: ErasurePorts,
  userId: string,
  metadata: EraseUser['metadata'] & CommandMetadata,
  newEventId: () => string,
): Promise<Erased> {
  const command: EraseUser = { type: 'EraseUser', data: { userId }, metadata }
  const result = await handleCommand({ log: ports.eventLog, streamId: streams.user(userId), decider: userDecider, command, metadata, newEventId })
  await rememberRoles(ports.cache, userId, null)
  if (result.newState.emailHash !== null) await releaseEmail(ports, result.newState.emailHash, userId, metadata, newEventId)
  const photos = await photosOf(ports.eventLog, userId)
  for (const mediaId of photos) await ports.media.delete(mediaId)
  await ports.keys.delete(userId)
  return { appended: result.newEvents.length > 0, position: result.position, photos: photos.size }
}
