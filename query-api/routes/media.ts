/** GET /media/{mediaId}: a photo any published story shows for anyone, any upload for its uploader. */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext } from '../../app/context.ts'
import { authUser } from '../../http/auth.ts'
import { collections, type MediaAttachmentDoc } from '../../readmodels/documents.ts'
import { forbidden, found } from '../refusals.ts'
import { NotJson } from '../schemas.ts'

const SIGNED_URL_SECONDS = 300

export const mediaRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/media/:mediaId',
    {
      schema: {
        params: Type.Object({ mediaId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,128}$' }) }),
        response: {
          200: NotJson('the image', ['image/jpeg', 'image/png', 'image/webp']),
          302: Type.Null({ description: 'a redirect to a signed URL of the media store' }),
        },
      },
    },
    async (request, reply) => {
      const { mediaId } = request.params
      const shown = await ctx.readModels.find<MediaAttachmentDoc>(collections.mediaAttachments, { where: { mediaId, published: true }, limit: 1 })
      let media = null
      if (shown.items.length === 0) {
        media = await found(ctx.media.get(mediaId), 'media')
        if (authUser(request).userId !== media.uploaderId) throw forbidden('only its uploader sees a photo no published story shows')
      }
      const signedUrl = await ctx.media.signedUrl(mediaId, SIGNED_URL_SECONDS)
      if (signedUrl !== null) return reply.redirect(signedUrl)
      media ??= await found(ctx.media.get(mediaId), 'media')
      // A deleted story's photos must not live on in shared caches.
      return reply
        .header('cache-control', 'private, no-cache')
        .header('x-content-type-options', 'nosniff')
        .type(media.contentType)
        .send(media.body)
    },
  )
}
