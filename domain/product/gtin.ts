/** GS1 GTIN-8/12/13/14: digits only, the last one a mod-10 check digit (weights 3,1,3,… from the right). */
const LENGTHS = new Set([8, 12, 13, 14])

export const gs1CheckDigit = (digitsWithoutCheck: string): number => {
  const sum = [...digitsWithoutCheck]
    .reverse()
    .reduce((total, digit, index) => total + Number(digit) * (index % 2 === 0 ? 3 : 1), 0)
  return (10 - (sum % 10)) % 10
}

export const isValidGtin = (gtin: string): boolean =>
  /^\d+$/.test(gtin) && LENGTHS.has(gtin.length) && gs1CheckDigit(gtin.slice(0, -1)) === Number(gtin.at(-1))

/** The GTIN as GS1 Digital Link writes it: always 14 digits, zero-padded on the left. */
export const gtin14 = (gtin: string): string => gtin.padStart(14, '0')

/** GS1's CSET 82: the characters of a serial number (AI 21) carried with a GTIN, 1 to 20 of them. */
export const CSET_82_SERIAL = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]{1,20}$/

/**
 * A serial number in a Digital Link path: every CSET 82 symbol percent-encoded but `-`, `.`, `_` and the double
 * quote, which the GS1 Digital Link ABNF (and GS1's digital-link.js, which follows it) takes as it is.
 */
export const encodeSerial = (serialNumber: string): string =>
  encodeURIComponent(serialNumber)
    .replace(/%22/g, '"')
    .replace(/[!'()*]/g, symbol => `%${symbol.charCodeAt(0).toString(16).toUpperCase()}`)

/** The GS1 Digital Link path of a serialised item: `/01/{gtin14}/21/{serial}`, the serial percent-encoded. */
export const digitalLinkPath = (gtin: string, serialNumber: string): string => `/01/${gtin14(gtin)}/21/${encodeSerial(serialNumber)}`
