import t from 'tap'
import { Conflict, Forbidden, NotFound, RuleViolated } from '../errors.ts'
import { spec } from '../testing/spec.ts'
import type { EditStory, SubmitStory } from './commands.ts'
import type { StoryEdited, StorySubmitted } from './events.ts'
import { ALICE, BOB, BRAND, CAROL, CREATED_AT, MODERATOR, NOW, PRODUCT, STORY, command, ownedByAlice, storySubmitted, transferred } from './testing/fixtures.ts'
import { productDecider } from './index.ts'

const { given } = spec(productDecider)

const MARCH = '2024-03-01T00:00:00.000Z'
const ALICE_MID = '2024-04-01T00:00:00.000Z'
const BOB_FROM = '2024-05-01T00:00:00.000Z'
const MAY = '2024-05-15T00:00:00.000Z'
/** Brand until February, Alice until May, Bob since. */
const ownedByBob = [...ownedByAlice, transferred(ALICE, BOB, BOB_FROM)]

const content = { title: 'Rainy Lisbon', body: 'Kept me dry all week.', mediaIds: ['m1'] }
const submit = (actorId: string, occurredAt = MARCH, data: Partial<SubmitStory['data']> = {}) =>
  command('SubmitStory', { storyId: STORY, ...content, occurredAt, ...data }, actorId)
const submitted = (authorId: string, occurredAt = MARCH, data: Partial<StorySubmitted['data']> = {}): StorySubmitted => ({
  type: 'StorySubmitted',
  data: { productId: PRODUCT, storyId: STORY, authorId, ...content, occurredAt, status: 'published', submittedAt: NOW, ...data },
})
const deleted = (deletedBy: string) => ({ type: 'StoryDeleted' as const, data: { productId: PRODUCT, storyId: STORY, deletedBy, deletedAt: NOW } })

t.test('SubmitStory', async t => {
  t.test('the current owner tells a story, published by automatic moderation', async () => {
    given(ownedByAlice).when(submit(ALICE)).then([submitted(ALICE)])
  })
  t.test('the current owner may tell a story from before their time', async () => {
    given(ownedByBob).when(submit(BOB, MARCH)).then([submitted(BOB, MARCH)])
  })
  t.test('a past owner tells a story from their own ownership period', async () => {
    given(ownedByBob).when(submit(ALICE, MARCH)).then([submitted(ALICE, MARCH)])
    given(ownedByBob).when(submit(BRAND, CREATED_AT)).then([submitted(BRAND, CREATED_AT)])
  })
  t.test('refuses a past owner writing about a time they did not own it', async () => {
    given(ownedByBob).when(submit(ALICE, MAY)).thenThrows(Forbidden, 'their own ownership period')
    given(ownedByBob).when(submit(ALICE, BOB_FROM)).thenThrows(Forbidden, 'their own ownership period')
  })
  t.test('refuses someone who never owned the product', async () => {
    given(ownedByBob).when(submit(CAROL)).thenThrows(Forbidden, 'only a current or past owner')
  })
  t.test('refuses a story from the future', async () => {
    given(ownedByAlice).when(submit(ALICE, '2024-06-02T00:00:00.000Z')).thenThrows(RuleViolated, 'future')
  })
  t.test('refuses an unreadable time', async () => {
    given(ownedByAlice).when(submit(ALICE, 'last summer')).thenThrows(RuleViolated, 'occurredAt is not a valid time')
  })
  t.test('refuses a story id that is taken', async () => {
    given([...ownedByAlice, storySubmitted()]).when(submit(ALICE)).thenThrows(Conflict, 'story already exists')
  })
  t.test('holds a story with a link for a moderator', async () => {
    given(ownedByAlice)
      .when(submit(ALICE, MARCH, { body: 'Buy yours at https://example.org' }))
      .then([submitted(ALICE, MARCH, { body: 'Buy yours at https://example.org', status: 'pending', moderationReason: 'contains a link' })])
  })
  t.test('rejects a story with blocked language', async () => {
    given(ownedByAlice)
      .when(submit(ALICE, MARCH, { title: 'Shitty zip' }))
      .then([submitted(ALICE, MARCH, { title: 'Shitty zip', status: 'rejected', moderationReason: 'contains blocked language' })])
  })
})

t.test('EditStory', async t => {
  const withStory = [...ownedByBob, storySubmitted(ALICE, MARCH)]
  const edit = (actorId: string, data: Partial<EditStory['data']> = {}, roles = ['consumer']) =>
    command('EditStory', { storyId: STORY, ...data }, actorId, { roles })
  const edited = (data: Partial<StoryEdited['data']> = {}): StoryEdited => ({
    type: 'StoryEdited',
    data: { productId: PRODUCT, storyId: STORY, authorId: ALICE, ...content, occurredAt: MARCH, status: 'published', editedAt: NOW, ...data },
  })

  t.test('the author edits, and the edit carries the whole content', async () => {
    given(withStory).when(edit(ALICE, { title: 'Lisbon, again' })).then([edited({ title: 'Lisbon, again' })])
  })
  t.test('an edit goes through moderation again', async () => {
    given(withStory).when(edit(ALICE, { body: 'mail me: a@b.example' })).then([edited({ body: 'mail me: a@b.example', status: 'pending', moderationReason: 'contains an e-mail address' })])
  })
  t.test('a clean edit publishes a story that was held', async () => {
    given([...ownedByAlice, storySubmitted(ALICE, MARCH, 'pending')]).when(edit(ALICE, { body: 'Kept me dry.' })).then([edited({ body: 'Kept me dry.' })])
  })
  t.test('refuses edits by anyone but the author', async () => {
    given(withStory).when(edit(BOB, { title: 'mine now' })).thenThrows(Forbidden, 'only the author can edit')
  })
  t.test('refuses edits by a moderator who is not the author', async () => {
    given(withStory).when(edit(MODERATOR, { title: 'x' }, ['moderator'])).thenThrows(Forbidden, 'only the author')
  })
  t.test('a past owner may move the story within their period, not outside it', async () => {
    given(withStory).when(edit(ALICE, { occurredAt: ALICE_MID })).then([edited({ occurredAt: ALICE_MID })])
    given(withStory).when(edit(ALICE, { occurredAt: MAY })).thenThrows(Forbidden, 'their own ownership period')
  })
  t.test('refuses moving a story into the future', async () => {
    given([...ownedByAlice, storySubmitted(ALICE, MARCH)]).when(edit(ALICE, { occurredAt: '2025-01-01T00:00:00.000Z' })).thenThrows(RuleViolated, 'future')
  })
  t.test('refuses an unknown story', async () => {
    given(ownedByAlice).when(edit(ALICE, { title: 'x' })).thenThrows(NotFound, 'story not found')
  })
  t.test('refuses a deleted story', async () => {
    given([...withStory, deleted(ALICE)]).when(edit(ALICE, { title: 'x' })).thenThrows(NotFound, 'story not found')
  })
})

t.test('DeleteStory', async t => {
  const withStory = [...ownedByBob, storySubmitted(ALICE, MARCH)]
  const remove = (actorId: string, roles = ['consumer']) => command('DeleteStory', { storyId: STORY }, actorId, { roles })

  t.test('the author deletes their story', async () => {
    given(withStory).when(remove(ALICE)).then([deleted(ALICE)])
  })
  t.test('a moderator deletes any story', async () => {
    given(withStory).when(remove(MODERATOR, ['moderator'])).then([deleted(MODERATOR)])
  })
  t.test('refuses anyone else, the current owner included', async () => {
    given(withStory).when(remove(BOB)).thenThrows(Forbidden, 'only the author or a moderator')
  })
  t.test('refuses an unknown or already deleted story', async () => {
    given(ownedByBob).when(remove(ALICE)).thenThrows(NotFound, 'story not found')
    given([...withStory, deleted(ALICE)]).when(remove(ALICE)).thenThrows(NotFound, 'story not found')
  })
})

t.test('ModerateStory', async t => {
  const pending = [...ownedByAlice, storySubmitted(ALICE, MARCH, 'pending')]
  const decide = (decision: 'approve' | 'reject', reason?: string, actorId = MODERATOR, roles = ['moderator']) =>
    command('ModerateStory', { storyId: STORY, decision, ...(reason ? { reason } : {}) }, actorId, { roles })
  const moderated = (decision: 'approve' | 'reject', status: 'published' | 'rejected', reason?: string) => ({
    type: 'StoryModerated' as const,
    data: { productId: PRODUCT, storyId: STORY, moderatorId: MODERATOR, decision, ...(reason ? { reason } : {}), status, moderatedAt: NOW },
  })

  t.test('a moderator approves a held story', async () => {
    given(pending).when(decide('approve')).then([moderated('approve', 'published')])
  })
  t.test('a moderator rejects a story with a reason', async () => {
    given(pending).when(decide('reject', 'advertising')).then([moderated('reject', 'rejected', 'advertising')])
  })
  t.test('refuses users without the moderator role', async () => {
    given(pending).when(decide('approve', undefined, ALICE, ['consumer', 'brand'])).thenThrows(Forbidden, 'only a moderator')
  })
  t.test('refuses an unknown or deleted story', async () => {
    given(ownedByAlice).when(decide('approve')).thenThrows(NotFound, 'story not found')
    given([...pending, deleted(ALICE)]).when(decide('approve')).thenThrows(NotFound, 'story not found')
  })
})
