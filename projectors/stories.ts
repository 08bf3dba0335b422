/**
 * stories, and two collections that follow from them: media_attachments (which stories show a photo, and so
 * who may see it; removed with their author's erasure) and story_authors (whose stories to blank when their
 * author is erased). One projection, because an edit's attachments depend on the photos the story had before.
 */
import type { StoryContent } from '../domain/product/events.ts'
import type { RecordedEvent } from '../eventlog/port.ts'
import { findAll } from '../readmodels/findAll.ts'
import type { ProjectionStore } from '../readmodels/unitOfWork.ts'
import { attachmentId, collections, type MediaAttachmentDoc, type StoryAuthorDoc, type StoryDoc } from '../readmodels/documents.ts'
import { defineProjection } from './projection.ts'
import { create } from './write.ts'

type Event = Pick<RecordedEvent, 'position' | 'metadata'>
type Story = Omit<StoryDoc, 'position'>

const BLANK = { title: null, body: null, mediaIds: [] }

/** Read back after the author's erasure, the personal fields are null. */
const content = (data: StoryContent) => ({
  title: data.title ?? null,
  body: data.body ?? null,
  occurredAt: data.occurredAt,
  mediaIds: data.mediaIds ?? [],
})

const attach = (store: ProjectionStore, event: Event, story: Story, mediaId: string, published: boolean) =>
  create<MediaAttachmentDoc>(store, collections.mediaAttachments, event, {
    id: attachmentId(story.storyId, mediaId),
    mediaId,
    storyId: story.storyId,
    productId: story.productId,
    published,
  })

type WriteAttachments = (store: ProjectionStore, event: Event, changed: Story, previous: StoryDoc | null) => Promise<void>

/** A photo is shown while its story is published; one the story no longer has stays, hidden. */
const showAttachments: WriteAttachments = async (store, event, changed, previous) => {
  const shown = changed.status === 'published' && !changed.deleted
  for (const mediaId of previous?.mediaIds ?? []) if (!changed.mediaIds.includes(mediaId)) await attach(store, event, changed, mediaId, false)
  for (const mediaId of changed.mediaIds) await attach(store, event, changed, mediaId, shown)
}

/**
 * Every attachment the story ever had goes, as none is written by a rebuild that cannot read the photo ids. An
 * older event never writes them again: it reaches attachments only through changeStory, which skips it.
 */
const removeAttachments: WriteAttachments = async (store, event, changed) => {
  const attachments = await findAll<MediaAttachmentDoc>(store, collections.mediaAttachments, { where: { storyId: changed.storyId } })
  for (const { id } of attachments) await store.remove(collections.mediaAttachments, id, event.position)
}

/**
 * Writes the attachments first and the story last: once the story records the event's position the whole
 * event is applied, and an event replayed after a failure in between finds the same previous story.
 */
async function changeStory(
  store: ProjectionStore,
  event: Event,
  storyId: string,
  next: (story: StoryDoc | null) => Story | null,
  writeAttachments = showAttachments,
) {
  const story = await store.get<StoryDoc>(collections.stories, storyId)
  if (story && story.position >= event.position) return
  const changed = next(story)
  if (!changed) return
  await writeAttachments(store, event, changed, story)
  await store.apply<StoryDoc>(collections.stories, storyId, event.position, () => changed)
}

export const storiesProjection = defineProjection({
  name: 'stories',
  // Written in this order: a story records an event's position once its attachments hold it too.
  collections: [
    { name: collections.mediaAttachments, indexes: [['storyId'], ['mediaId', 'published']] },
    { name: collections.stories, indexes: [['productId', 'occurredAt'], ['status', 'submittedAt'], ['authorId', 'submittedAt']] },
    { name: collections.storyAuthors, indexes: [] },
  ],
  on: {
    StorySubmitted: async (event, store) => {
      const { storyId, productId, authorId, status, moderationReason, submittedAt } = event.data
      await changeStory(store, event, storyId, () => ({
        id: storyId,
        storyId,
        productId,
        authorId,
        ...content(event.data),
        status,
        moderationReason,
        submittedAt,
        updatedAt: event.metadata.occurredAt,
        deleted: false,
      }))
      await store.apply<StoryAuthorDoc>(collections.storyAuthors, authorId, event.position, author => ({
        id: authorId,
        storyIds: [...(author?.storyIds ?? []), storyId],
      }))
    },
    StoryEdited: (event, store) => {
      const { status, moderationReason } = event.data
      return changeStory(store, event, event.data.storyId, story => story && {
        ...story,
        ...content(event.data),
        status,
        moderationReason,
        updatedAt: event.metadata.occurredAt,
      })
    },
    StoryModerated: (event, store) => {
      const { status, reason } = event.data
      return changeStory(store, event, event.data.storyId, story => story && {
        ...story,
        status,
        moderationReason: reason,
        updatedAt: event.metadata.occurredAt,
      })
    },
    StoryDeleted: (event, store) =>
      changeStory(store, event, event.data.storyId, story => story && { ...story, ...BLANK, deleted: true, updatedAt: event.metadata.occurredAt }),
    // What a rebuild would show once the author's key is gone; not an edit, so updatedAt stays.
    UserErased: async (event, store) => {
      const author = await store.get<StoryAuthorDoc>(collections.storyAuthors, event.data.userId)
      for (const storyId of author?.storyIds ?? []) await changeStory(store, event, storyId, story => story && { ...story, ...BLANK }, removeAttachments)
    },
  },
})
