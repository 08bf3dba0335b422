/**
 * The path of a GS1 Digital Link URI for a GTIN (GS1 Digital Link 1.2, URI syntax): `/01/{gtin}` followed by
 * its key qualifiers in their fixed order, `/22/{cpv}`, `/10/{lot}`, `/21/{serial}`, each at most once.
 * Anything else is not a Digital Link URI: the resolver answers it with 400.
 */
import { gtin14, isValidGtin } from '../../domain/product/gtin.ts'
import type { ProblemFieldError } from '../../http/problem.ts'

export interface GtinLink {
  gtin14: string
  cpv?: string
  lot?: string
  serial?: string
}

const QUALIFIERS = { '22': 'cpv', '10': 'lot', '21': 'serial' } as const
type QualifierAi = keyof typeof QUALIFIERS
// Spelled out: an object's integer-like keys iterate in numeric order, not in the order written.
const ORDER: readonly QualifierAi[] = ['22', '10', '21']

/**
 * 1–20 printable ASCII characters: GS1's CSET 82 (the characters of CPV, lot and serial number) and the few more
 * that serial numbers could hold before CSET 82 was required, so that every label ever printed still resolves.
 */
const QUALIFIER_VALUE = /^[!-~]{1,20}$/

const isQualifier = (ai: string): ai is QualifierAi => Object.hasOwn(QUALIFIERS, ai)

const decode = (segment: string): string | null => {
  try {
    return decodeURIComponent(segment)
  } catch {
    return null
  }
}

/** The identifiers of a Digital Link path, or what makes it none. `path` is the raw path, without the query string. */
export function parseGtinLink(path: string): { link: GtinLink } | { errors: ProblemFieldError[] } {
  const segments = path.replace(/\/$/, '').split('/').slice(1)
  const fail = (message: string) => ({ errors: [{ path: '/path', message }] })
  if (segments[0] !== '01' || segments.length % 2 !== 0) return fail('must be /01/{gtin} followed by pairs of a key qualifier and its value')
  const gtin = segments[1]!
  if (!isValidGtin(gtin)) return fail('the GTIN must be 8, 12, 13 or 14 digits with a valid check digit')

  const link: GtinLink = { gtin14: gtin14(gtin) }
  let previous = -1
  for (let i = 2; i < segments.length; i += 2) {
    const ai = segments[i]!
    if (!isQualifier(ai)) return fail(`${ai} is not a key qualifier of a GTIN (22, 10 or 21)`)
    const position = ORDER.indexOf(ai)
    if (position <= previous) return fail('key qualifiers must come once each, in the order 22, 10, 21')
    previous = position
    const value = decode(segments[i + 1]!)
    if (value === null || !QUALIFIER_VALUE.test(value)) return fail(`the value of ${ai} must be 1 to 20 printable ASCII characters`)
    link[QUALIFIERS[ai]] = value
  }
  return { link }
}
