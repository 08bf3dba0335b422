/**
 * The SSRF guard of webhooks: a host is public when every address it resolves to is public unicast, as ipaddr.js
 * classifies it (an IPv4-mapped IPv6 address as its IPv4 one). Private, loopback, link-local, unique-local, CGNAT,
 * multicast, unspecified, broadcast and reserved ranges, and the transition prefixes that can embed any of those,
 * are not.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import { lookup } from 'node:dns/promises'
import { isIP, type LookupFunction } from 'node:net'
import ipaddr from 'ipaddr.js'

export const isPublicAddress = (address: string): boolean => ipaddr.isValid(address) && ipaddr.process(address).range() === 'unicast'

/** A host that resolves to no address, or to one that is not public. */
export class NonPublicHost extends Error {
  constructor(
    readonly hostname: string,
    readonly reason: string,
  ) {
    super(`${hostname} ${reason}`)
    this.name = 'NonPublicHost'
  }
}

/** A URL's host as an address or a name: without the brackets of an IPv6 literal. */
export const hostOf = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, '$1')

function assertPublic(hostname: string, addresses: readonly LookupAddress[]): void {
  if (addresses.length === 0) throw new NonPublicHost(hostname, 'resolves to no address')
  const inner = addresses.find(({ address }) => !isPublicAddress(address))
  if (inner) throw new NonPublicHost(hostname, `resolves to ${inner.address}, which is not a public address`)
}

/** Resolves when every address the host resolves to (DNS lookup, all of them) is public. */
export async function assertPublicHost(hostname: string): Promise<void> {
  if (isIP(hostname)) return assertPublic(hostname, [{ address: hostname, family: isIP(hostname) }])
  let addresses: LookupAddress[]
  try {
    addresses = await lookup(hostname, { all: true })
  } catch {
    throw new NonPublicHost(hostname, 'does not resolve')
  }
  assertPublic(hostname, addresses)
}

/**
 * A `lookup` for node:http that connects only to public addresses: checked on the addresses the connection will use,
 * so a name that resolved to a public address when checked and resolves to another by now (DNS rebinding) is refused.
 */
export const publicLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0)
    try {
      assertPublic(hostname, addresses)
    } catch (refusal) {
      return callback(refusal as NodeJS.ErrnoException, '', 0)
    }
    if (options.all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, addresses)
    callback(null, addresses[0]!.address, addresses[0]!.family)
  })
}
