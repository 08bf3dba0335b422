import t from 'tap'
import { withVerdict } from './stories.ts'

t.test('withVerdict puts the automatic moderation verdict on the content, keeping the rest', async t => {
  const content = { title: 'Harbour', body: 'Mended the cuff in Lisbon', occurredAt: '2024-05-04', mediaIds: ['m1'] }
  t.same(withVerdict(content), { ...content, status: 'published', moderationReason: undefined })
  t.same(withVerdict({ ...content, body: 'see https://example.org' }), { ...content, body: 'see https://example.org', status: 'pending', moderationReason: 'contains a link' })
  t.match(withVerdict({ title: 'shit', body: 'fine' }), { status: 'rejected', moderationReason: 'contains blocked language' })
})
