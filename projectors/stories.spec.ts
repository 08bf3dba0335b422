import t from 'tap'
import { attachmentId, collections, type MediaAttachmentDoc, type StoryDoc } from '../readmodels/documents.ts'
import { ids, scenario, until } from './testing/scenario.ts'
import { projected } from './testing/store.ts'

const { events, e } = scenario()

const attachment = (mediaId: string, storyId: string, published: boolean, position: number): MediaAttachmentDoc => ({
  id: attachmentId(storyId, mediaId),
  mediaId,
  storyId,
  productId: ids.p1,
  published,
  position,
})

t.test('a story is submitted, approved, edited and rejected', async t => {
  const submitted = e.s1Submitted.data
  const store = await projected(until(events, e.s1Rejected))
  t.strictSame(await store.get<StoryDoc>(collections.stories, ids.s1), {
    id: ids.s1,
    storyId: ids.s1,
    productId: ids.p1,
    authorId: ids.alice,
    title: 'First summer, again',
    body: 'Worn at the seaside, twice',
    occurredAt: submitted.occurredAt,
    mediaIds: ['m2', 'm4'],
    status: 'rejected',
    moderationReason: 'off topic',
    submittedAt: submitted.submittedAt,
    updatedAt: e.s1Rejected.metadata.occurredAt,
    deleted: false,
    position: e.s1Rejected.position,
  })
})

t.test("a photo is public while its story is published, and no longer once it leaves the story", async t => {
  const approved = await projected(until(events, e.s1Approved))
  t.strictSame(await approved.get(collections.mediaAttachments, attachmentId(ids.s1, 'm1')), attachment('m1', ids.s1, true, e.s1Approved.position))
  const edited = await projected(until(events, e.s1Edited))
  t.strictSame(await edited.get(collections.mediaAttachments, attachmentId(ids.s1, 'm1')), attachment('m1', ids.s1, false, e.s1Edited.position), 'dropped by the edit')
  t.strictSame(await edited.get(collections.mediaAttachments, attachmentId(ids.s1, 'm4')), attachment('m4', ids.s1, false, e.s1Edited.position), 'pending again')
})

t.test('a deleted story keeps its id and status but loses its text and photos', async t => {
  const store = await projected(until(events, e.s2Deleted))
  const story = await store.get<StoryDoc>(collections.stories, ids.s2)
  t.match(story, { title: null, body: null, mediaIds: [], status: 'published', deleted: true, updatedAt: e.s2Deleted.metadata.occurredAt })
  t.strictSame(await store.get(collections.mediaAttachments, attachmentId(ids.s2, 'm3')), attachment('m3', ids.s2, false, e.s2Deleted.position))
})

t.test("erasing an author blanks their stories and removes their photos, as a rebuild without their key would", async t => {
  const before = await projected(until(events, e.bobRolesChanged))
  const store = await projected(events)
  const s1 = await before.get<StoryDoc>(collections.stories, ids.s1)
  t.strictSame(await store.get(collections.stories, ids.s1), { ...s1, title: null, body: null, mediaIds: [], position: e.aliceErased.position })
  t.ok(await before.get(collections.mediaAttachments, attachmentId(ids.s1, 'm1')), 'm1 was attached before, and dropped by an edit')
  t.strictSame((await store.find(collections.mediaAttachments, { limit: 100 })).items, [], 'm1 to m4 are gone, the dropped one too')
  t.strictSame(await store.get(collections.stories, ids.s3), await before.get(collections.stories, ids.s3), "another author's story is left alone")
  t.strictSame(await store.get(collections.storyAuthors, ids.alice), { id: ids.alice, storyIds: [ids.s1, ids.s2], position: e.s2Submitted.position })
})
