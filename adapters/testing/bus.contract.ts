import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import type { IntegrationBus, IntegrationMessage } from '../ports.ts'

/** What every IntegrationBus must do. `open` gives a bus on a fresh topic: each test opens its own. */
export const busContract = (t: Test, open: () => Promise<IntegrationBus>, { timeoutMs = 30_000 } = {}): void => {
  let position = 0
  const openFor = async (t: Test): Promise<IntegrationBus> => {
    const bus = await open()
    t.teardown(() => bus.close())
    return bus
  }

  const messages = (key: string, count: number): IntegrationMessage[] =>
    Array.from({ length: count }, () => {
      position += 1
      return { key, eventId: randomUUID(), type: 'Something', position, value: JSON.stringify({ position, text: 'ünïcode' }) }
    })
  const group = () => `group-${randomUUID()}`

  /** Consumes until `done` says so (or the timeout), then stops the consumer; resolves with every delivery. */
  const consumeUntil = async (
    bus: IntegrationBus,
    groupId: string,
    done: (delivered: IntegrationMessage[]) => boolean,
    handle: (message: IntegrationMessage, delivered: IntegrationMessage[]) => Promise<void> = async () => {},
  ): Promise<IntegrationMessage[]> => {
    const delivered: IntegrationMessage[] = []
    const stop = new AbortController()
    const timer = setTimeout(() => stop.abort(), timeoutMs)
    await bus.consume(
      groupId,
      async message => {
        delivered.push(message)
        await handle(message, delivered)
        if (done(delivered)) stop.abort()
      },
      stop.signal,
    )
    clearTimeout(timer)
    return delivered
  }

  t.test('a group gets every message, published before or after it starts, intact and in order per key', async t => {
    const bus = await openFor(t)
    const key = `product-${randomUUID()}`
    const before = messages(key, 3)
    await bus.publish(before)
    const after = messages(key, 2)
    const publishing = setTimeout(() => void bus.publish(after), 500)
    const delivered = await consumeUntil(bus, group(), d => d.length >= 5)
    clearTimeout(publishing)
    t.same(delivered, [...before, ...after])
  })

  t.test('every group gets every message', async t => {
    const bus = await openFor(t)
    const sent = messages(`product-${randomUUID()}`, 3)
    await bus.publish(sent)
    const [first, second] = await Promise.all([
      consumeUntil(bus, group(), d => d.length >= 3),
      consumeUntil(bus, group(), d => d.length >= 3),
    ])
    t.same(first, sent)
    t.same(second, sent)
  })

  t.test('a message whose handler fails is delivered again before the next of its key', async t => {
    const bus = await openFor(t)
    const sent = messages(`product-${randomUUID()}`, 3)
    await bus.publish(sent)
    const delivered = await consumeUntil(
      bus,
      group(),
      d => d.length >= 4,
      async (message, delivered) => {
        if (message.position === sent[1]!.position && delivered.filter(d => d.position === message.position).length === 1) {
          throw new Error('handler failed once')
        }
      },
    )
    t.same(
      delivered.map(message => message.position),
      [sent[0]!, sent[1]!, sent[1]!, sent[2]!].map(message => message.position),
    )
  })

  t.test('a group resumes after what it has handled', async t => {
    const bus = await openFor(t)
    const key = `product-${randomUUID()}`
    const first = messages(key, 2)
    await bus.publish(first)
    const groupId = group()
    t.same(await consumeUntil(bus, groupId, d => d.length >= 2), first)
    const second = messages(key, 2)
    await bus.publish(second)
    t.same(await consumeUntil(bus, groupId, d => d.length >= 2), second)
  })

  t.test('consume ends when its signal aborts, even with nothing to deliver', async t => {
    const bus = await openFor(t)
    const stop = new AbortController()
    const consuming = bus.consume(`group-${randomUUID()}`, async () => {}, stop.signal)
    setTimeout(() => stop.abort(), 200)
    await consuming
    t.pass('ended')
  })
}
