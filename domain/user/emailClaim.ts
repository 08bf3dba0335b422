/**
 * Who holds an email (one stream per keyed email hash). A registration claims the email, then appends the
 * account on the user's stream: two appends, so a registration that stops between them leaves a claim whose
 * holder has no account. Such a claim holds for CLAIM_HOLD_MINUTES (the time a registration takes between its
 * two appends, with room to spare); after that the email may be claimed again. A registration whose second
 * append fails releases its claim at once, and so does erasing the account.
 */
import { Conflict } from '../errors.ts'
import type { Decider, DomainCommand } from '../decider.ts'
import type { EmailClaimed, EmailEvent, EmailReleased } from './events.ts'

export const CLAIM_HOLD_MINUTES = 10

/** `holderHasAccount`: whether the current holder's own stream holds a live account (the caller reads it). */
export type ClaimEmail = DomainCommand<'ClaimEmail', { emailHash: string; userId: string; holderHasAccount: boolean }>

export type ReleaseEmail = DomainCommand<'ReleaseEmail', { emailHash: string; userId: string }>

export type EmailCommand = ClaimEmail | ReleaseEmail

export interface EmailState {
  holder: string | null
  /** When the holder claimed it; null for a claim recorded without the time. */
  claimedAt: string | null
}

const initialState = (): EmailState => ({ holder: null, claimedAt: null })

const evolve = (state: EmailState, event: EmailEvent): EmailState => {
  switch (event.type) {
    case 'EmailClaimed':
      return { holder: event.data.userId, claimedAt: event.data.claimedAt ?? null }
    case 'EmailReleased':
      return state.holder === event.data.userId ? initialState() : state
  }
}

const holdEnded = (claimedAt: string | null, now: string): boolean =>
  claimedAt === null || Date.parse(now) - Date.parse(claimedAt) >= CLAIM_HOLD_MINUTES * 60_000

const claim = ({ data, metadata }: ClaimEmail, state: EmailState): EmailClaimed[] => {
  const { emailHash, userId, holderHasAccount } = data
  if (state.holder === userId) return []
  if (state.holder !== null && (holderHasAccount || !holdEnded(state.claimedAt, metadata.now)))
    throw new Conflict('this email is already registered')
  return [{ type: 'EmailClaimed', data: { emailHash, userId, claimedAt: metadata.now } }]
}

const release = ({ data, metadata }: ReleaseEmail, state: EmailState): EmailReleased[] =>
  state.holder === data.userId ? [{ type: 'EmailReleased', data: { ...data, releasedAt: metadata.now } }] : []

export const emailDecider: Decider<EmailCommand, EmailEvent, EmailState> = {
  decide: (command, state) => (command.type === 'ClaimEmail' ? claim(command, state) : release(command, state)),
  evolve,
  initialState,
}
