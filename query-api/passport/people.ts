/**
 * Who the public may see. An owner's latest consent applies to every period they owned the product:
 * `public` shows who they are, `anonymous` and `hidden` show no identity. Anyone who never owned the
 * product (a buyer whose reservation lapsed, a moderator) is never shown.
 */
import type { AppContext } from '../../app/context.ts'
import { DEFAULT_VISIBILITY } from '../../domain/product/consent.ts'
import type { Visibility } from '../../domain/product/events.ts'
import { collections, type UserDoc } from '../../readmodels/documents.ts'

export type PersonRef = { userId: string; displayName: string | null } | null

export interface People {
  /** Each owner's latest visibility; undefined for anyone who never owned the product. */
  visibilityOf(userId: string): Visibility | undefined
  ref(userId: string | null | undefined): PersonRef
}

/**
 * THE consent rule for an owner's periods, in the timeline and in the events alike: `hidden` shows neither who
 * they are nor the details of their periods (when, how, at what price); `anonymous` the details without the
 * identity; `public` both. Anyone who is not an owner has no period to hide.
 */
export const showsDetailsOf = (people: People, userId: string | null | undefined): boolean =>
  !userId || (people.visibilityOf(userId) ?? DEFAULT_VISIBILITY) !== 'hidden'

/** Looks up the display names of the owners who show themselves. */
export async function loadPeople(ctx: AppContext, visibilities: ReadonlyMap<string, Visibility>): Promise<People> {
  const shown = [...visibilities].filter(([, visibility]) => visibility === 'public').map(([userId]) => userId)
  const users = await Promise.all(shown.map(userId => ctx.readModels.get<UserDoc>(collections.users, userId)))
  // An erased account is shown as no one at all.
  const names = new Map(shown.flatMap((userId, i) => (users[i]?.erased ? [] : [[userId, users[i]?.displayName ?? null] as const])))
  return {
    visibilityOf: userId => visibilities.get(userId),
    ref: userId => (userId && names.has(userId) ? { userId, displayName: names.get(userId) ?? null } : null),
  }
}
