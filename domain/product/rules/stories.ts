import { Conflict, Forbidden, NotFound, RuleViolated } from '../../errors.ts'
import { defined } from '../../defined.ts'
import type { DeleteStory, EditStory, ModerateStory, SubmitStory } from '../commands.ts'
import type { StoryContent, StoryDeleted, StoryEdited, StoryModerated, StorySubmitted } from '../events.ts'
import { moderate } from '../moderation.ts'
import type { ProductState, Story } from '../state.ts'
import { hasRole, isAtOrAfter, requireAlive, requireProduct, requireTime } from './guards.ts'

const ownedAt = (state: ProductState, userId: string, time: string): boolean =>
  state.owners.some(
    period => period.ownerId === userId && isAtOrAfter(time, period.from) && (period.to === null || !isAtOrAfter(time, period.to)),
  )

/** The current owner may tell any story; a past owner only one that happened while they owned the product. */
const requireStoryteller = (state: ProductState, userId: string, occurredAt: string, now: string): void => {
  requireTime(occurredAt, 'occurredAt')
  if (!isAtOrAfter(now, occurredAt)) throw new RuleViolated('a story cannot happen in the future')
  if (state.ownerId === userId || ownedAt(state, userId, occurredAt)) return
  if (state.owners.some(period => period.ownerId === userId))
    throw new Forbidden('a past owner can only tell stories from their own ownership period')
  throw new Forbidden('only a current or past owner can tell a story')
}

/** The content with the automatic moderation's verdict on it: every telling and every edit is moderated again. */
export const withVerdict = <Content extends Pick<StoryContent, 'title' | 'body'>>(content: Content) => {
  const { status, reason } = moderate(content.title, content.body)
  return { ...content, status, moderationReason: reason }
}

const requireStory = (state: ProductState, storyId: string): Story => {
  const story = state.stories[storyId]
  if (!story || story.deleted) throw new NotFound('story not found')
  return story
}

export const submitStory = ({ data, metadata }: SubmitStory, state: ProductState): [StorySubmitted] => {
  requireProduct(state)
  if (state.stories[data.storyId]) throw new Conflict('story already exists')
  requireStoryteller(state, metadata.actorId, data.occurredAt, metadata.now)
  requireAlive(state)
  return [{ type: 'StorySubmitted', data: defined({ ...withVerdict(data), authorId: metadata.actorId, submittedAt: metadata.now }) }]
}

export const editStory = ({ data, metadata }: EditStory, state: ProductState): [StoryEdited] => {
  requireProduct(state)
  const story = requireStory(state, data.storyId)
  if (story.authorId !== metadata.actorId) throw new Forbidden('only the author can edit a story')
  const content: StoryContent = {
    title: data.title ?? story.content.title,
    body: data.body ?? story.content.body,
    occurredAt: data.occurredAt ?? story.content.occurredAt,
    mediaIds: data.mediaIds ?? story.content.mediaIds,
  }
  if (content.occurredAt !== story.content.occurredAt) requireStoryteller(state, metadata.actorId, content.occurredAt, metadata.now)
  const { productId, storyId } = data
  return [{ type: 'StoryEdited', data: defined({ productId, storyId, authorId: story.authorId, ...withVerdict(content), editedAt: metadata.now }) }]
}

export const deleteStory = ({ data, metadata }: DeleteStory, state: ProductState): [StoryDeleted] => {
  requireProduct(state)
  const story = requireStory(state, data.storyId)
  if (story.authorId !== metadata.actorId && !hasRole(metadata.roles, 'moderator'))
    throw new Forbidden('only the author or a moderator can delete a story')
  const { productId, storyId } = data
  return [{ type: 'StoryDeleted', data: { productId, storyId, deletedBy: metadata.actorId, deletedAt: metadata.now } }]
}

export const moderateStory = ({ data, metadata }: ModerateStory, state: ProductState): [StoryModerated] => {
  requireProduct(state)
  if (!hasRole(metadata.roles, 'moderator')) throw new Forbidden('only a moderator can moderate stories')
  requireStory(state, data.storyId)
  return [
    {
      type: 'StoryModerated',
      data: defined({
        productId: data.productId,
        storyId: data.storyId,
        moderatorId: metadata.actorId,
        decision: data.decision,
        reason: data.reason,
        status: data.decision === 'approve' ? 'published' : 'rejected',
        moderatedAt: metadata.now,
      }),
    },
  ]
}
