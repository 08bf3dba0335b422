import t from 'tap'
import { moderate } from './moderation.ts'

const published = { status: 'published' }

t.test('publishes ordinary stories', async t => {
  t.same(moderate('First concert', 'Wore it to my first concert in Lyon on 12.05.2019, size 38.'), published)
  t.same(moderate('Repairs', 'Patched the elbow in 2021; the wool held up well. Great!!!'), published)
})

t.test('rejects blocked language, whatever the case', async t => {
  t.same(moderate('ok', 'This is SHIT quality'), { status: 'rejected', reason: 'contains blocked language' })
  t.same(moderate('Fucking great', 'fine'), { status: 'rejected', reason: 'contains blocked language' })
  t.same(moderate('Scunthorpe memories', 'A trip to Scunthorpe and Essex.'), published)
})

t.test('holds links for a moderator', async t => {
  for (const body of ['see https://example.org', 'visit www.cheap-deals.net', 'buy at cheapjackets.shop now'])
    t.same(moderate('t', body), { status: 'pending', reason: 'contains a link' }, body)
})

t.test('holds e-mail addresses for a moderator', async t => {
  t.same(moderate('t', 'write to jane.doe+jacket@mail.example.com'), { status: 'pending', reason: 'contains an e-mail address' })
})

t.test('holds phone numbers for a moderator', async t => {
  for (const body of ['call +33 6 12 34 56 78', 'text 0612345678', 'ring (555) 123-4567'])
    t.same(moderate('t', body), { status: 'pending', reason: 'contains a phone number' }, body)
  t.same(moderate('t', 'From 2019-05-12 to 2020.'), published)
})

t.test('holds spam: repetition and capitals', async t => {
  t.same(moderate('t', 'soooooo good'), { status: 'pending', reason: 'looks like spam: repetition' })
  t.same(moderate('t', 'buy buy buy buy now'), { status: 'pending', reason: 'looks like spam: repetition' })
  t.same(moderate('t', 'THIS JACKET IS THE BEST EVER MADE'), { status: 'pending', reason: 'looks like spam: capitals' })
  t.same(moderate('LOVE IT', 'Wore it every day of the NYC trip.'), published)
})

t.test('moderates a long adversarial body in linear time, with the same verdicts', async t => {
  // Long runs of the characters an e-mail local part or a domain label is made of, with no `@` or top-level domain
  // to end them: patterns that start with such a run take quadratic time on them.
  const distinctWords = Array.from({ length: 2000 }, (_, at) => `w${at}`).join('-')
  t.ok(distinctWords.length > 10_000)
  const cases: [string, object][] = [
    ['1-'.repeat(5000), { status: 'pending', reason: 'contains a phone number' }],
    ['a-'.repeat(5000), { status: 'pending', reason: 'looks like spam: repetition' }],
    ['x'.repeat(10_000), { status: 'pending', reason: 'looks like spam: repetition' }],
    [distinctWords, published],
    [`${distinctWords} write to jane@mail.example.com`, { status: 'pending', reason: 'contains an e-mail address' }],
    [`${distinctWords}.shop`, { status: 'pending', reason: 'contains a link' }],
    [`${'a'.repeat(10_000)}@`, { status: 'pending', reason: 'looks like spam: repetition' }],
  ]
  for (const [body, verdict] of cases) t.same(moderate('t', body), verdict, `${body.slice(0, 12)}… (${body.length} characters)`)
})
