/**
 * What a text field may hold, as the JSON Schema patterns of every text field (one validation, documented in the
 * OpenAPI document): no C0 or C1 control characters (long texts keep `\n` and `\t`), no lone surrogates, no
 * bidirectional overrides or isolates (U+202A–U+202E, U+2066–U+2069), which can make text read otherwise than it is.
 */
const UNSAFE = '\\u0000-\\u001f\\u007f-\\u009f\\ud800-\\udfff\\u202a-\\u202e\\u2066-\\u2069'

/** One line: a name, a title. */
export const LINE_PATTERN = `^[^${UNSAFE}]*$`

/** Paragraphs: a line's characters, newlines and tabs. */
export const PARAGRAPHS_PATTERN = `^(?:[^${UNSAFE}]|[\\n\\t])*$`

/** What a GTIN with a wrong check digit is told. */
export const formatMessages: Readonly<Record<string, string>> = {
  gtin: 'is not a GS1 GTIN-8/12/13/14 with a valid check digit',
}

/** What a refused text is told, rather than the pattern itself. */
export const textPatternMessages: Readonly<Record<string, string>> = {
  [LINE_PATTERN]: 'must not contain control characters, line breaks, lone surrogates or bidirectional overrides',
  [PARAGRAPHS_PATTERN]: 'must not contain control characters (but newlines and tabs), lone surrogates or bidirectional overrides',
}
