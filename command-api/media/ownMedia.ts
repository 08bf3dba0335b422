import type { CommandApiContext } from '../../app/context.ts'
import { HttpProblem } from '../../http/problem.ts'

/** A story or a lifecycle record shows only images its author uploaded: 422 naming each other one. */
export async function requireOwnMedia(ctx: CommandApiContext, mediaIds: string[] | undefined, userId: string, what: string): Promise<void> {
  const media = await Promise.all((mediaIds ?? []).map(mediaId => ctx.media.get(mediaId)))
  const errors = media.flatMap((found, at) => (found?.uploaderId === userId ? [] : [{ path: `/body/mediaIds/${at}`, message: 'is not an image you uploaded' }]))
  if (errors.length > 0) throw new HttpProblem(422, 'Unprocessable Content', `${what} can only show images its author uploaded`, errors)
}
