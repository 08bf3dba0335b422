/**
 * Who holds an email: the claim decider (domain/claim/decide.ts) on the email's own stream, whose events keep
 * their email names (EmailClaimed, EmailReleased) and the email's keyed hash. A registration claims the email,
 * then appends the account on the user's stream; a claim whose holder never got its account lapses as every
 * claim does. A registration whose second append fails releases its claim at once, and so does erasing the account.
 */
import { claimDecider, type ClaimCommand, type ClaimState } from '../claim/decide.ts'
import type { ClaimEvent } from '../claim/events.ts'
import type { Decider } from '../decider.ts'
import type { EmailEvent } from './events.ts'

const asClaimEvent = ({ type, data }: EmailEvent): ClaimEvent => {
  const claim = { kind: 'email' as const, key: data.emailHash, holderId: data.userId }
  return type === 'EmailClaimed' ? { type: 'KeyClaimed', data: { ...claim, ...(data.claimedAt && { claimedAt: data.claimedAt }) } } : { type: 'KeyReleased', data: claim }
}

const asEmailEvent = ({ type, data }: ClaimEvent, now: string): EmailEvent => {
  const email = { emailHash: data.key, userId: data.holderId }
  return type === 'KeyClaimed' ? { type: 'EmailClaimed', data: { ...email, claimedAt: now } } : { type: 'EmailReleased', data: { ...email, releasedAt: now } }
}

export const emailDecider: Decider<ClaimCommand, EmailEvent, ClaimState> = {
  decide: (command, state) => claimDecider.decide(command, state).map(event => asEmailEvent(event, command.metadata.now)),
  evolve: (state, event) => claimDecider.evolve(state, asClaimEvent(event)),
  initialState: claimDecider.initialState,
}

