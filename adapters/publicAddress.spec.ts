import { request } from 'node:http'
import t from 'tap'
import { assertPublicHost, isPublicAddress, NonPublicHost, publicLookup } from './publicAddress.ts'

t.test('public unicast addresses pass; every inner or special range does not', async t => {
  for (const address of ['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111']) t.ok(isPublicAddress(address), address)
  const inner = {
    private: ['10.0.0.1', '172.16.5.4', '192.168.1.1'],
    loopback: ['127.0.0.1', '127.8.8.8', '::1'],
    'link-local': ['169.254.169.254', 'fe80::1'],
    'unique-local': ['fd00::1', 'fc12::7'],
    CGNAT: ['100.64.0.1', '100.127.255.254'],
    multicast: ['224.0.0.1', 'ff02::1'],
    unspecified: ['0.0.0.0', '::'],
    'IPv4-mapped private': ['::ffff:10.0.0.1', '::ffff:127.0.0.1'],
    broadcast: ['255.255.255.255'],
  }
  for (const [range, addresses] of Object.entries(inner)) for (const address of addresses) t.notOk(isPublicAddress(address), `${address} (${range})`)
  t.notOk(isPublicAddress('not an address'))
})

t.test('a host is public when every address it resolves to is', async t => {
  await t.resolves(assertPublicHost('93.184.215.14'))
  await t.rejects(assertPublicHost('127.0.0.1'), NonPublicHost)
  await t.rejects(assertPublicHost('::1'), NonPublicHost)
  await t.rejects(assertPublicHost('localhost'), NonPublicHost, 'a name resolving to loopback')
  await t.rejects(assertPublicHost('nothing.invalid'), /does not resolve/)
})

t.test('a connection through publicLookup never reaches an inner address', async t => {
  const outcome = await new Promise<Error | number>(resolve => {
    const sent = request({ host: 'localhost', port: 9, lookup: publicLookup }, response => resolve(response.statusCode ?? 0))
    sent.on('error', resolve)
    sent.end()
  })
  t.type(outcome, NonPublicHost, 'refused before connecting')
})
