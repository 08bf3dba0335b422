import t from 'tap'
import type { FastifyBaseLogger } from 'fastify'
import type { AppContext } from '../../app/context.ts'
import { MemoryCache } from '../../adapters/embedded/memoryCache.ts'
import { scanWatchOf, watchScans, type RecordScanAnomaly, type Scanner } from './scanWatch.ts'

/** A watch over an in-process cache whose countDistinct calls are counted, flagging above 2 networks in 60 minutes. */
function watched() {
  const cache = new MemoryCache()
  const lookUps: string[] = []
  const countDistinct = cache.countDistinct.bind(cache)
  cache.countDistinct = async (key, member, window) => {
    lookUps.push(member)
    return countDistinct(key, member, window)
  }
  const flags: Parameters<RecordScanAnomaly>[0][] = []
  const ctx = { config: { scanAnomaly: { networks: 2, windowMinutes: 60 } }, cache } as unknown as AppContext
  watchScans(ctx, async anomaly => void flags.push(anomaly))
  return { watch: scanWatchOf(ctx), lookUps, flags }
}

const at = (clientAddress: string, receivedAt: string): Scanner => ({ clientAddress, receivedAt, log: {} as FastifyBaseLogger })

t.test('a network counted for a code within a sixtieth of the window is answered without the cache port', async t => {
  const { watch, lookUps } = watched()
  t.equal(await watch.count('p1', 'code-1', at('192.0.2.1', '2026-01-01T10:00:00.000Z')), false)
  t.equal(watch.count('p1', 'code-1', at('192.0.2.9', '2026-01-01T10:00:59.000Z')), false, 'the same /24 a minute later: at once')
  t.same(lookUps, ['192.0.2.0/24'])
  t.equal(await watch.count('p1', 'code-1', at('192.0.2.9', '2026-01-01T10:01:00.000Z')), false, 'counted again after a minute')
  t.equal(await watch.count('p1', 'code-2', at('192.0.2.9', '2026-01-01T10:01:00.000Z')), false, 'another code is counted')
  t.same(lookUps, ['192.0.2.0/24', '192.0.2.0/24', '192.0.2.0/24'])
})

t.test('every new network is counted, and the one that crosses the threshold flags the code', async t => {
  const { watch, lookUps, flags } = watched()
  const now = '2026-01-01T10:00:00.000Z'
  t.equal(await watch.count('p1', 'code-1', at('192.0.2.1', now)), false)
  t.equal(await watch.count('p1', 'code-1', at('198.51.100.1', now)), false)
  t.equal(await watch.count('p1', 'code-1', at('192.0.2.1', now)), false, 'a network seen before adds nothing')
  t.equal(lookUps.length, 3, 'the port is asked unless the network is the one last counted for the code')
  t.equal(watch.count('p1', 'code-1', at('192.0.2.1', now)), false, 'the network last counted, at once')
  t.equal(await watch.count('p1', 'code-1', at('203.0.113.1', now)), true, 'the third network crosses')
  t.equal(lookUps.length, 4)
  t.same(flags, [{ productId: 'p1', qrCode: 'code-1', networks: 3, threshold: 2, windowMinutes: 60, now }])
  t.equal(watch.count('p1', 'code-1', at('192.0.2.1', now)), true, 'flagged, at once')
})
