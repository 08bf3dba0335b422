import t from 'tap'
import { cacheContract } from '../testing/cache.contract.ts'
import { serverSettings } from '../testing/servers.ts'
import { RedisCache } from './redisCache.ts'

const settings = serverSettings(t, ['REDIS_URL'])
if (settings) cacheContract(t, () => RedisCache.connect({ url: settings.REDIS_URL, keyPrefix: 'ptvem-test:' }))
