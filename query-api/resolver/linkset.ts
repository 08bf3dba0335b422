/**
 * What a Digital Link URI resolves to: an issued item (GTIN and serial number) or the model its GTIN names,
 * with the links of each GS1 link type it offers, and the RFC 9264 linkset listing them
 * (valid against GS1's linkset schema: link types as full URIs of the GS1 Web Vocabulary, every link titled).
 */
import { digitalLinkPath, gtin14 } from '../../domain/product/gtin.ts'
import type { ProductDoc } from '../../readmodels/documents.ts'
import { itemEpc } from '../../cli/export/identifiers.ts'

export const GS1_VOC = 'https://ref.gs1.org/voc/'

export interface Link {
  href: string
  title: string
  type?: string
  hreflang?: string[]
}

/** Links by link type, the term of the GS1 Web Vocabulary (`pip` for gs1:pip); `defaultLink` is always there. */
export type Links = { defaultLink: [Link] } & Record<string, Link[]>

export interface Resolved {
  anchor: string
  description: string
  links: Links
  /** The item, when the URI names one rather than a model. */
  item?: ProductDoc & { gtin: string }
}

const PAGE_LANGUAGES = ['en']

/** The passport page of an item: `/p/{gtin14}/{serial}`, the serial encoded as in its Digital Link. */
export const itemPagePath = (gtin: string, serialNumber: string): string => {
  const [, , gtinDigits, , serial] = digitalLinkPath(gtin, serialNumber).split('/')
  return `/p/${gtinDigits}/${serial}`
}

export const modelPagePath = (gtin: string): string => `/m/${gtin14(gtin)}`

/** An issued item: its passport page (also its scan JSON, by content negotiation) and its EPCIS events. */
export function resolvedItem(base: string, product: ProductDoc & { gtin: string }): Resolved {
  const page = `${base}${itemPagePath(product.gtin, product.serialNumber)}`
  const title = `${product.name} · ${product.brand.name}`
  return {
    anchor: `${base}${digitalLinkPath(product.gtin, product.serialNumber)}`,
    description: `${product.name}, serial number ${product.serialNumber}`,
    item: product,
    links: {
      defaultLink: [{ href: page, title }],
      pip: [{ href: page, title: `Digital product passport: ${title}`, type: 'text/html', hreflang: PAGE_LANGUAGES }],
      verificationService: [{ href: page, title: 'Authenticity check (the scan JSON; send the label\'s ?q= along)', type: 'application/json' }],
      traceability: [
        { href: `${base}/api/epcis/events?MATCH_epc=${encodeURIComponent(itemEpc(product))}`, title: 'EPCIS 2.0 events of this item', type: 'application/ld+json' },
      ],
    },
  }
}

/** A GTIN we issued items of: the model's page. */
export function resolvedModel(base: string, product: ProductDoc & { gtin: string }): Resolved {
  const page = `${base}${modelPagePath(product.gtin)}`
  const title = `${product.name} · ${product.brand.name}`
  return {
    anchor: `${base}/01/${gtin14(product.gtin)}`,
    description: product.name,
    links: {
      defaultLink: [{ href: page, title }],
      pip: [{ href: page, title: `Product information: ${title}`, type: 'text/html', hreflang: PAGE_LANGUAGES }],
    },
  }
}

/** The RFC 9264 linkset (`application/linkset+json`) of what a URI resolves to. */
export const linksetOf = ({ anchor, description, links }: Resolved) => ({
  linkset: [
    {
      anchor,
      itemDescription: description,
      ...Object.fromEntries(Object.entries(links).map(([term, objects]) => [`${GS1_VOC}${term}`, objects])),
    },
  ],
})

// The namespaces GS1 has written its vocabulary under; a link type may be given in any of them or as a gs1: CURIE.
const VOCABULARY_PREFIXES = ['gs1:', 'https://ref.gs1.org/voc/', 'https://gs1.org/voc/', 'http://gs1.org/voc/', 'https://www.gs1.org/voc/']

/** The vocabulary term of a requested link type (`gs1:pip` → `pip`), or null for one outside GS1's vocabulary. */
export function linkTypeTerm(linkType: string): string | null {
  const prefix = VOCABULARY_PREFIXES.find(namespace => linkType.startsWith(namespace))
  return prefix === undefined ? null : linkType.slice(prefix.length)
}
