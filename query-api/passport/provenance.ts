/**
 * Who vouched for a product's brand, and whether they still do: the brand's verification events (its user
 * stream) that apply to the product, shown in the product's history among its own events, by log position.
 */
import type { AppContext } from '../../app/context.ts'
import { isUnderPrefixes } from '../../domain/gs1CompanyPrefix.ts'
import { streams } from '../../domain/ids.ts'
import type { RecordedEvent } from '../../eventlog/port.ts'
import type { Passport } from './load.ts'
import { isEventShown, presentEvent, presentEvents, type PublicEvent } from './publicEvent.ts'

const VERIFICATION_EVENTS = new Set(['BrandVerified', 'Gs1CompanyPrefixesGranted', 'BrandRejected', 'BrandVerificationRevoked'])

const coversGtin = (event: RecordedEvent, gtin: unknown): boolean =>
  typeof gtin === 'string' && isUnderPrefixes(gtin, event.data.gs1CompanyPrefixes as string[])

/**
 * The verification the product was issued under (the brand's last before the product's creation) and the prefix
 * grant that covered its GTIN then, if any; every later verification or revocation, and later grants of its GTIN.
 */
export function applyingToProduct(brandEvents: readonly RecordedEvent[], created: RecordedEvent): RecordedEvent[] {
  const events = brandEvents.filter(event => VERIFICATION_EVENTS.has(event.type))
  const before = events.filter(event => event.position < created.position).reverse()
  const vouched = before.find(event => event.type === 'BrandVerified')
  const grant = before.find(
    event => event.type === 'Gs1CompanyPrefixesGranted' && event.position > (vouched?.position ?? 0) && coversGtin(event, created.data.gtin),
  )
  const later = events.filter(event => event.position > created.position && (event.type !== 'Gs1CompanyPrefixesGranted' || coversGtin(event, created.data.gtin)))
  return [vouched, grant, ...later].filter((event): event is RecordedEvent => event !== undefined)
}

const recordedBy = (until: number | undefined) => (event: RecordedEvent) => until === undefined || Date.parse(event.metadata.occurredAt) <= until

/** The product's events the public sees (recorded by `until`, if given) in public form, with its brand's that apply
 *  among them (marked `source: "brand"`). */
export async function presentWithProvenance(ctx: AppContext, passport: Passport, until?: number): Promise<PublicEvent[]> {
  const created = passport.events[0]
  const brandId = created?.data.brandId
  const events = passport.events.filter(recordedBy(until)).filter(event => isEventShown(event, passport))
  if (!created || typeof brandId !== 'string') return presentEvents(events, passport)
  // Verification events hold nothing sealed: the raw log spares decrypting the account's.
  const brandEvents = applyingToProduct(await ctx.rawEventLog.readStream(streams.user(brandId)), created).filter(recordedBy(until))
  return [...events, ...brandEvents]
    .sort((left, right) => left.position - right.position)
    .map(event => (event.streamId === created.streamId ? presentEvent(event, passport) : { ...presentEvent(event, passport), source: 'brand' as const }))
}
