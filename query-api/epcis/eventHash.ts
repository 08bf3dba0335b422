/**
 * The CBV 2.0 event hash (`ni:///sha-256;…?ver=CBV2.0`): the SHA-256 of an event's pre-hash string, as GS1's
 * reference implementation (PyPI `epcis-event-hash-generator`, which query-api/epcis/eventHash.spec.ts runs)
 * builds it. The fields in the standard's canonical order first (`name=value`, CBV values as web URIs, times in
 * UTC to the millisecond), then the source, destination and business transaction lists, which the reference
 * implementation writes after them in lexical order. eventID and recordTime take no part. A field this module
 * does not know throws rather than give a hash no one else would compute: an event mapping that adds one adds it
 * here too, with a case in the spec.
 */
import { createHash } from 'node:crypto'

type EpcisValue = string | string[] | Record<string, string>[] | Record<string, string>
export type EpcisEventBody = { type: string } & Record<string, EpcisValue>

const CBV = 'https://ref.gs1.org/cbv/'
/** A CBV value as a web URI: `commissioning` → `https://ref.gs1.org/cbv/BizStep-commissioning`. */
const cbvUri = (vocabulary: string, legacyUrn: string) => (value: string) =>
  value.startsWith(legacyUrn) ? `${CBV}${vocabulary}-${value.slice(legacyUrn.length)}` : /^[a-z_]+$/.test(value) ? `${CBV}${vocabulary}-${value}` : value

const bizStep = cbvUri('BizStep', 'urn:epcglobal:cbv:bizstep:')
const disposition = cbvUri('Disp', 'urn:epcglobal:cbv:disp:')
const partyType = cbvUri('SDT', 'urn:epcglobal:cbv:sdt:')
const transactionType = cbvUri('BTT', 'urn:epcglobal:cbv:btt:')
const utcMillis = (time: string) => new Date(time).toISOString()
const same = (value: string) => value

/** The fields written in canonical order, each with how its value is canonized. */
const ORDERED: [field: string, canonical: (value: string) => string][] = [
  ['eventTime', utcMillis],
  ['eventTimeZoneOffset', same],
  ['parentID', same],
  ['epcList', same],
  ['inputEPCList', same],
  ['childEPCs', same],
  ['outputEPCList', same],
  ['action', same],
  ['transformationID', same],
  ['bizStep', bizStep],
  ['disposition', disposition],
]

/**
 * The lists written after the ordered fields. The reference implementation writes an element's properties in the
 * order the JSON has them, so the events are written with their properties in this order, the standard's.
 */
const LISTS: Record<string, [property: string, canonical: (value: string) => string][]> = {
  bizTransactionList: [['type', transactionType], ['bizTransaction', same]],
  sourceList: [['type', partyType], ['source', same]],
  destinationList: [['type', partyType], ['destination', same]],
}

const IGNORED = new Set(['type', 'eventID', 'recordTime'])

function orderedPart(event: EpcisEventBody, field: string, canonical: (value: string) => string): string {
  const value = event[field]
  if (value === undefined) return ''
  if (typeof value === 'string') return `${field}=${canonical(value)}`
  if (Array.isArray(value) && value.every(item => typeof item === 'string')) return value.map(epc => `${field}epc=${canonical(epc)}`).sort().join('')
  throw new Error(`no event hash for the shape of ${field}`)
}

function listPart(event: EpcisEventBody, list: string): string {
  const elements = event[list]
  if (!Array.isArray(elements) || elements.length !== 1 || typeof elements[0] !== 'object') throw new Error(`no event hash for ${list} unless it has exactly one element`)
  const element = elements[0]
  const properties = LISTS[list]!
  if (Object.keys(element).some(key => !properties.some(([property]) => property === key))) throw new Error(`no event hash for the properties of ${list}`)
  return `${list}${properties.map(([property, canonical]) => (element[property] === undefined ? '' : `${property}=${canonical(element[property])}`)).join('')}`
}

/** The pre-hash string of an event (exported for the spec, which shows it when a hash differs). */
export function preHashString(event: EpcisEventBody): string {
  const known = new Set([...IGNORED, ...ORDERED.map(([field]) => field), ...Object.keys(LISTS)])
  const unknown = Object.keys(event).filter(field => !known.has(field))
  if (unknown.length > 0) throw new Error(`no event hash for ${unknown.join(', ')}`)
  const ordered = ORDERED.map(([field, canonical]) => orderedPart(event, field, canonical)).join('')
  const lists = Object.keys(LISTS).filter(list => event[list] !== undefined).map(list => listPart(event, list)).sort().join('')
  return `eventType=${event.type}${ordered}${lists}`
}

export const eventHash = (event: EpcisEventBody): string =>
  `ni:///sha-256;${createHash('sha256').update(preHashString(event)).digest('hex')}?ver=CBV2.0`
