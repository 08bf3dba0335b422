import t from 'tap'
import { busContract } from '../testing/bus.contract.ts'
import { InProcessBus } from './inProcessBus.ts'

busContract(t, async () => new InProcessBus({ retryDelayMs: 10 }), { timeoutMs: 5_000 })

/** Whether `promise` resolves within `ms` (a rejection rejects): a test then fails on its assertion, not on tap's timeout. */
const settlesWithin = (promise: Promise<unknown>, ms: number): Promise<boolean> => {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<false>(resolve => (timer = setTimeout(() => resolve(false), ms)))
  return Promise.race([promise.then(() => true), late]).finally(() => clearTimeout(timer))
}

t.test('close ends every consumer: the running one and the one waiting for its turn, of every group', async t => {
  const bus = new InProcessBus()
  const consumers = [bus.consume('a', async () => {}), bus.consume('a', async () => {}), bus.consume('b', async () => {})]
  t.notOk(await settlesWithin(Promise.race(consumers), 50), 'all consuming before the close')
  await bus.close()
  for (const [index, consuming] of consumers.entries()) t.ok(await settlesWithin(consuming, 1_000), `consumer ${index + 1} ended`)
  await t.rejects(bus.publish([{ key: 'k', eventId: 'e', type: 'T', position: 1, value: '{}' }]), /closed/, 'and the bus takes nothing more')
})
