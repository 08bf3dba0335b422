/** GS1 Company Prefixes, whether a GTIN falls under one, and what a prefix claims so that no two brands' overlap. */
import { gtin14 } from './product/gtin.ts'

const SHORTEST = 6

/** A GS1 Company Prefix is 6 to 12 digits. */
export const isGs1CompanyPrefix = (prefix: string): boolean => /^\d{6,12}$/.test(prefix)

/** The GTIN as GTIN-13: a GTIN-14's indicator digit dropped, a GTIN-12 or GTIN-8 padded with zeros. */
export const gtin13 = (gtin: string): string => gtin14(gtin).slice(1)

/** Whether the GTIN, written as GTIN-13, starts with one of the prefixes. */
export const isUnderPrefixes = (gtin: string, prefixes: readonly string[]): boolean => {
  const written = gtin13(gtin)
  return prefixes.some(prefix => written.startsWith(prefix))
}

/** Two prefixes overlap when one starts with the other: a GTIN under the longer is under both. */
export const prefixesOverlap = (left: string, right: string): boolean => left.startsWith(right) || right.startsWith(left)

/**
 * The keys a prefix is claimed on: its digits cut at every length from the shortest a prefix has up to its own.
 * Of two overlapping prefixes, the shorter's own key is among the longer's keys, so both claims meet on one
 * stream, where the second is refused.
 */
export const prefixClaimKeys = (prefix: string): string[] =>
  Array.from({ length: prefix.length - SHORTEST + 1 }, (_, index) => prefix.slice(0, SHORTEST + index))
