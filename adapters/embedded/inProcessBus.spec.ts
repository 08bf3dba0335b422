import t from 'tap'
import { busContract } from '../contracts/bus.contract.ts'
import { InProcessBus } from './inProcessBus.ts'

busContract(t, async () => new InProcessBus({ retryDelayMs: 10 }), { timeoutMs: 5_000 })

t.test('close ends every consumer', async t => {
  const bus = new InProcessBus()
  const consuming = [bus.consume('a', async () => {}), bus.consume('a', async () => {}), bus.consume('b', async () => {})]
  await bus.close()
  await Promise.all(consuming)
  t.pass('all ended')
})
