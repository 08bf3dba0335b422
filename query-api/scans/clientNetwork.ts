/** The network a client address belongs to, as clone detection counts them: IPv4 /24, IPv6 /48. */
import { isIPv4, isIPv6 } from 'node:net'

/** The eight groups of an IPv6 address, `::` expanded; an embedded IPv4 tail becomes two groups. */
function ipv6Groups(address: string): string[] {
  const [head = '', tail] = address.split('::')
  const groupsOf = (part: string) => (part === '' ? [] : part.split(':').flatMap(group => (isIPv4(group) ? ipv4Groups(group) : [group])))
  const left = groupsOf(head)
  const right = tail === undefined ? [] : groupsOf(tail)
  return [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right].map(group => group.toLowerCase().replace(/^0+(?=.)/, ''))
}

const ipv4Groups = (address: string) => {
  const [a, b, c, d] = address.split('.').map(Number) as [number, number, number, number]
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)]
}

const ipv4Network = (address: string) => `${address.split('.').slice(0, 3).join('.')}.0/24`

/** null for something that is no IP address. An IPv4 address mapped into IPv6 (`::ffff:192.0.2.1`) counts as IPv4. */
export function clientNetwork(address: string): string | null {
  const plain = address.replace(/%.*$/, '')
  if (isIPv4(plain)) return ipv4Network(plain)
  if (!isIPv6(plain)) return null
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(plain)
  if (mapped) return ipv4Network(mapped[1]!)
  return `${ipv6Groups(plain).slice(0, 3).join(':')}::/48`
}
