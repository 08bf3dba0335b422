import t from 'tap'
import { Progress, describeProgress } from './rebuild/progress.ts'

t.test('events done, events per second and time left, from how far the positions have come', async t => {
  t.equal(describeProgress({ events: 2500, from: 0, position: 2500, head: 10_000, elapsedMs: 500 }), '2500 events, position 2500/10000 (25%), 5000 events/s, ~2s left')
  t.equal(describeProgress({ events: 10, from: 1000, position: 1500, head: 2000, elapsedMs: 60_000 }), '10 events, position 1500/2000 (50%), 0 events/s, ~1m00s left')
  t.equal(describeProgress({ events: 0, from: 0, position: 0, head: 0, elapsedMs: 0 }), '0 events, position 0/0 (100%), 0 events/s, ~0s left', 'an empty log')
  t.equal(describeProgress({ events: 0, from: 0, position: 0, head: 10, elapsedMs: 5 }), '0 events, position 0/10 (0%), 0 events/s', 'no estimate before the first event')
})

const written = (isTTY: boolean) => {
  const lines: string[] = []
  const progress = new Progress({ isTTY, write: text => lines.push(text) }, 0)
  progress.head = 3
  for (const position of [1, 2, 3]) progress.tick(position)
  return { lines, final: progress.finish() }
}

t.test('a terminal gets one redrawn line, ended once done', async t => {
  const { lines, final } = written(true)
  t.match(lines.at(-2), /^\r\x1b\[2K3 events, position 3\/3 \(100%\)/)
  t.equal(lines.at(-1), '\n')
  t.match(final, { events: 3, position: 3, head: 3 })
})

t.test('anything else gets plain lines', async t => {
  const { lines } = written(false)
  t.same(lines.map(line => line.replace(/, \d+ events\/s.*/s, '')), ['3 events, position 3/3 (100%)'])
  t.ok(lines.every(line => line.endsWith('\n') && !line.includes('\r')))
})
