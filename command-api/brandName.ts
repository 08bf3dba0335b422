/** The name a brand's products and collections carry, read from the brand's own user stream. */
import type { AppContext } from '../app/context.ts'
import { streams } from '../domain/ids.ts'
import type { UserEvent } from '../domain/user/events.ts'
import { HttpProblem } from '../http/problem.ts'

export async function brandNameOf(ctx: AppContext, userId: string): Promise<string> {
  const events = (await ctx.eventLog.readStream(streams.user(userId))) as unknown as UserEvent[]
  const registered = events.find(event => event.type === 'UserRegistered')
  if (!registered) throw new HttpProblem(403, 'Forbidden', 'the account no longer exists')
  // An account made a brand by an admin registered without a brand name; its display name stands in.
  return registered.data.brandName ?? registered.data.displayName
}
