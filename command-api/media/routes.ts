/**
 * POST /media: an image upload for stories, typed by its first bytes (never by its name or declared type) before
 * the rest is read, then cleaned of its metadata (photo.ts) and stored. Refusals come before the body is read
 * where they can (auth, the per-address and per-user rates, the daily quota, the type), and close the connection
 * rather than read the rest of the body.
 */
import multipart from '@fastify/multipart'
import type { FastifyError, FastifyRequest } from 'fastify'
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { CommandApiContext } from '../../app/context.ts'
import { authUser, requireAuth } from '../../http/auth.ts'
import { Gate } from '../../http/gate.ts'
import { HttpProblem } from '../../http/problem.ts'
import { Strict } from '../../shared/schemas.ts'
import { cleaned, typed, unsupported, type Photo } from './photo.ts'
import { countUpload } from './quota.ts'

export const MAX_MEDIA_BYTES = 10 * 1024 * 1024
/** Photos decoded at once, and waiting for a turn (503 beyond): each may take up to 160 MB while it is cleaned. */
const CLEANING = { concurrent: 2, waiting: 8 }

const tooLarge = () => new HttpProblem(413, 'Payload Too Large', `an image may have at most ${MAX_MEDIA_BYTES} bytes`)
const malformed = () => new HttpProblem(400, 'Bad Request', 'the multipart body is malformed', [{ path: '/body', message: 'is not a complete multipart body' }])

/** The photo in the multipart field `file`, cleaned. */
async function readPhoto(request: FastifyRequest, gate: Gate): Promise<Photo> {
  if (!request.isMultipart()) throw unsupported('send the image as multipart/form-data in the field "file"')
  try {
    const file = await request.file()
    if (file?.fieldname !== 'file') {
      throw new HttpProblem(400, 'Bad Request', 'the image goes in the multipart field "file"', [{ path: '/body/file', message: 'is required' }])
    }
    const { contentType, stream } = await typed(file.file)
    const photo = await gate.run(() => cleaned(stream, contentType))
    // busboy stops a file at the limit and marks it truncated; what was decoded of it is not the photo sent.
    if (file.file.truncated) throw tooLarge()
    return photo
  } catch (error) {
    // The multipart plugin's own errors carry their status (413 too large); the parser's (a truncated body) do not.
    if (error instanceof HttpProblem || (error as Partial<FastifyError>).statusCode !== undefined) throw error
    throw malformed()
  }
}

export const mediaRoutes: FastifyPluginAsyncTypebox<{ ctx: CommandApiContext }> = async (app, { ctx }) => {
  await app.register(multipart, { limits: { fileSize: MAX_MEDIA_BYTES, files: 1, fields: 10 } })
  const gate = new Gate('photos being processed', CLEANING.concurrent, CLEANING.waiting)
  const perUser = app.rateLimit({ max: ctx.config.limits.uploadsPerMinute, timeWindow: 60_000, keyGenerator: request => `upload:${authUser(request).userId}` })

  app.post(
    '/media',
    {
      onRequest: [requireAuth, perUser, async request => countUpload(ctx, authUser(request).userId)],
      config: { upload: true, rateLimit: app.costlyRateLimit },
      schema: {
        consumes: ['multipart/form-data'],
        response: { 201: Strict({ mediaId: Type.String(), url: Type.String(), contentType: Type.String(), size: Type.Integer() }) },
      },
    },
    async (request, reply) => {
      const { body, contentType } = await readPhoto(request, gate)
      const mediaId = ctx.newId()
      await ctx.media.put(mediaId, { body, contentType, size: body.length, uploaderId: authUser(request).userId })
      return reply.code(201).send({ mediaId, url: `/api/media/${mediaId}`, contentType, size: body.length })
    },
  )
}
