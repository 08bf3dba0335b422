/**
 * Identifiers in EPCIS events: the item's EPC, URIs of our own transactions, and owning parties as pseudonyms
 * that carry no personal data.
 */
import { createHmac } from 'node:crypto'
import { digitalLinkPath } from '../../domain/product/gtin.ts'

/** The serialised item: its GS1 Digital Link URI when it has a GTIN, else a URN of the product id. */
export const itemEpc = ({ productId, gtin, serialNumber }: { productId: string; gtin?: string; serialNumber: string }): string =>
  gtin === undefined
    ? `urn:ptvem:product:${encodeURIComponent(productId)}`
    : `https://id.gs1.org${digitalLinkPath(gtin, serialNumber)}`

export const transactionUri = (transactionId: string): string => `urn:ptvem:transaction:${encodeURIComponent(transactionId)}`

const PARTY_LABEL = 'ptvem/epcis/owning-party/v2'

/**
 * An owning party of one item as `urn:uuid:` (an RFC 9562 version 8 UUID) from an HMAC under the subject's own
 * data key: the same party in every event of that item while the user exists, unlinkable to the same person's
 * other items (EPCIS events are public), and to anyone once they are erased, since erasure deletes that key.
 */
export function partyUrn(subjectKey: Buffer, productId: string): string {
  const bytes = createHmac('sha256', subjectKey).update(`${PARTY_LABEL}\n${productId}`).digest().subarray(0, 16)
  bytes[6] = (bytes[6]! & 0x0f) | 0x80
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
