/** GS1 Company Prefixes, and whether a GTIN falls under one. */
import { gtin14 } from './product/gtin.ts'

/** A GS1 Company Prefix is 6 to 12 digits. */
export const isGs1CompanyPrefix = (prefix: string): boolean => /^\d{6,12}$/.test(prefix)

/** The GTIN as GTIN-13: a GTIN-14's indicator digit dropped, a GTIN-12 or GTIN-8 padded with zeros. */
export const gtin13 = (gtin: string): string => gtin14(gtin).slice(1)

/** Whether the GTIN, written as GTIN-13, starts with one of the prefixes. */
export const isUnderPrefixes = (gtin: string, prefixes: readonly string[]): boolean => {
  const written = gtin13(gtin)
  return prefixes.some(prefix => written.startsWith(prefix))
}
