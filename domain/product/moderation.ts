import type { StoryStatus } from './events.ts'

export interface ModerationVerdict {
  status: StoryStatus
  reason?: string
}

const BLOCKED_WORD_STEMS = ['fuck', 'shit', 'cunt', 'bitch', 'asshole', 'bastard', 'whore', 'nazi', 'retard']
const BLOCKED = new RegExp(`\\b(?:${BLOCKED_WORD_STEMS.join('|')})`, 'i')

// Linear time on any text: a pattern that starts with an unbounded run (`[\w.+-]+@`) restarts that run at every
// position and takes quadratic time on a long run with no `@`. The e-mail and domain patterns therefore start at
// their one distinctive character (the `@`, the dot before the top-level domain) and look behind for the run,
// which each character then belongs to at most once. They match exactly what `[\w.+-]+@…` and
// `\b[a-z0-9-]+\.(?:com|…)\b` match.
const EMAIL = /(?<=[\w.+-])@[\w-]+(?:\.[\w-]+)+/
const LINK = /\bhttps?:\/\/|\bwww\.|\.(?<=\b[a-z0-9-]+\.)(?:com|net|org|io|shop|store|co|biz|info|xyz|link|ly|me|app)\b/i
const PHONE_CANDIDATE = /\+?\d[\d\s().-]{7,}\d/g
const PHONE_MIN_DIGITS = 9
const REPEATED_CHARACTER = /(\S)\1{5,}/
const REPEATED_WORD = /\b(\w+)(?:\W+\1\b){3,}/i
const CAPS_MIN_LETTERS = 20
const CAPS_MAX_SHARE = 0.7

const hasPhoneNumber = (text: string): boolean =>
  (text.match(PHONE_CANDIDATE) ?? []).some(candidate => candidate.replace(/\D/g, '').length >= PHONE_MIN_DIGITS)

const isShouting = (text: string): boolean => {
  const letters = text.match(/\p{L}/gu) ?? []
  const capitals = letters.filter(letter => letter !== letter.toLowerCase())
  return letters.length >= CAPS_MIN_LETTERS && capitals.length / letters.length > CAPS_MAX_SHARE
}

/** Automatic moderation of a story: blocked language is rejected; contact details and spam wait for a moderator. */
export const moderate = (title: string, body: string): ModerationVerdict => {
  const text = `${title}\n${body}`
  if (BLOCKED.test(text)) return { status: 'rejected', reason: 'contains blocked language' }
  if (EMAIL.test(text)) return { status: 'pending', reason: 'contains an e-mail address' }
  if (LINK.test(text)) return { status: 'pending', reason: 'contains a link' }
  if (hasPhoneNumber(text)) return { status: 'pending', reason: 'contains a phone number' }
  if (REPEATED_CHARACTER.test(text) || REPEATED_WORD.test(text)) return { status: 'pending', reason: 'looks like spam: repetition' }
  if (isShouting(text)) return { status: 'pending', reason: 'looks like spam: capitals' }
  return { status: 'published' }
}
