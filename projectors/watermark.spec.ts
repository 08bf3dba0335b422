import t from 'tap'
import { Watermark } from './watermark.ts'

t.test('a waiter is told as soon as the watermark reaches its position, or false after its timeout', async t => {
  const mark = new Watermark(3)
  t.equal(await mark.waitFor(3, 0), true, 'reached already')
  const five = mark.waitFor(5, 2000)
  const seven = mark.waitFor(7, 50)
  t.equal(mark.awaited, true)
  mark.advance(6)
  t.equal(await five, true)
  t.equal(await seven, false, 'timed out')
  t.equal(mark.awaited, false, 'nobody left waiting')
})

t.test('advance only moves forward', async t => {
  const mark = new Watermark(5)
  mark.advance(2)
  t.equal(mark.position, 5)
})

t.test('reset moves back too, and the waiters then wait for the position again', async t => {
  const mark = new Watermark(5)
  mark.reset(0)
  t.equal(mark.position, 0)
  const waiting = mark.waitFor(5, 2000)
  mark.advance(4)
  t.equal(mark.awaited, true, '4 is not 5')
  mark.reset(5)
  t.equal(await waiting, true, 'reset forward settles like advance')
})
