import t from 'tap'
import { toEach } from './listener.ts'

t.test('a message to many listeners is written a hundred at a time, the event loop free between', async t => {
  let turn = 0
  let counting = true
  const count = () => {
    turn++
    if (counting) setImmediate(count)
  }
  setImmediate(count)
  const writtenIn: number[] = []
  await toEach(Array.from({ length: 250 }, (_, i) => i), () => writtenIn.push(turn))
  counting = false
  t.equal(writtenIn.length, 250, 'every listener')
  t.equal(new Set(writtenIn.slice(0, 100)).size, 1, 'the first hundred in one turn')
  t.ok(writtenIn[100]! > writtenIn[99]! && writtenIn[200]! > writtenIn[199]!, 'other work ran between the slices')
})
