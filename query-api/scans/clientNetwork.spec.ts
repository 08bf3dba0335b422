import t from 'tap'
import { clientNetwork } from './clientNetwork.ts'

t.test('IPv4 addresses count by /24', async t => {
  t.equal(clientNetwork('192.0.2.17'), '192.0.2.0/24')
  t.equal(clientNetwork('192.0.2.200'), '192.0.2.0/24', 'the same network')
  t.equal(clientNetwork('192.0.3.17'), '192.0.3.0/24', 'the next one differs')
  t.equal(clientNetwork('::ffff:192.0.2.5'), '192.0.2.0/24', 'mapped into IPv6, still IPv4')
})

t.test('IPv6 addresses count by /48, however written', async t => {
  t.equal(clientNetwork('2001:db8:abcd:12::1'), '2001:db8:abcd::/48')
  t.equal(clientNetwork('2001:0DB8:ABCD:ffff:0:0:0:9'), '2001:db8:abcd::/48')
  t.equal(clientNetwork('2001:db8::1'), '2001:db8:0::/48')
  t.equal(clientNetwork('::1'), '0:0:0::/48')
  t.equal(clientNetwork('fe80::1%eth0'), 'fe80:0:0::/48', 'a zone is not part of the network')
  t.not(clientNetwork('2001:db8:abcd::1'), clientNetwork('2001:db8:abce::1'))
})

t.test('anything else is no network', async t => {
  t.equal(clientNetwork('unknown'), null)
  t.equal(clientNetwork(''), null)
})
