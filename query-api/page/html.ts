/** HTML built only through `html` templates: every interpolated value is escaped unless it is itself Html. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value
  }
}

type Value = Html | string | number | null | undefined | false | readonly Value[]

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, char => ESCAPES[char]!)

const render = (value: Value): string => {
  if (value instanceof Html) return value.value
  if (Array.isArray(value)) return value.map(render).join('')
  if (value === null || value === undefined || value === false) return ''
  return escapeHtml(String(value))
}

export const html = (strings: TemplateStringsArray, ...values: Value[]): Html =>
  new Html(strings.reduce((out, string, i) => out + render(values[i - 1]) + string))
