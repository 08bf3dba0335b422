/** POST /media: an image upload for stories, typed by its bytes (never by its name or declared type). */
import multipart from '@fastify/multipart'
import type { FastifyError, FastifyRequest } from 'fastify'
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { fileTypeFromBuffer } from 'file-type'
import type { CommandApiContext } from '../../app/context.ts'
import { authUser, requireAuth } from '../../http/auth.ts'
import { HttpProblem } from '../../http/problem.ts'
import { Strict } from '../../shared/schemas.ts'

export const MAX_MEDIA_BYTES = 10 * 1024 * 1024

const ACCEPTED = new Set(['image/jpeg', 'image/png', 'image/webp'])

const unsupported = (detail: string) => new HttpProblem(415, 'Unsupported Media Type', detail)

const tooLarge = () => new HttpProblem(413, 'Payload Too Large', `an image may have at most ${MAX_MEDIA_BYTES} bytes`)

/** The multipart field `file`, read whole, and whether the size limit cut it short. */
async function readFilePart(request: FastifyRequest): Promise<{ bytes: Buffer; truncated: boolean } | null> {
  try {
    const file = await request.file()
    if (file?.fieldname !== 'file') {
      file?.file.resume()
      return null
    }
    return { bytes: await file.toBuffer(), truncated: file.file.truncated }
  } catch (error) {
    // The multipart plugin's own errors carry their status (413 too large); the parser's (a truncated body) do not.
    if ((error as Partial<FastifyError>).statusCode !== undefined) throw error
    throw new HttpProblem(400, 'Bad Request', 'the multipart body is malformed', [{ path: '/body', message: 'is not a complete multipart body' }])
  }
}

/** The bytes of the multipart field `file`. */
async function readFileField(request: FastifyRequest): Promise<Buffer> {
  if (!request.isMultipart()) throw unsupported('send the image as multipart/form-data in the field "file"')
  const part = await readFilePart(request)
  if (!part) throw new HttpProblem(400, 'Bad Request', 'the image goes in the multipart field "file"', [{ path: '/body/file', message: 'is required' }])
  // toBuffer() only notices the limit on a chunk read after busboy cut the file; when the cut falls on a
  // chunk boundary it returns the first MAX_MEDIA_BYTES as if they were the whole file.
  if (part.truncated) throw tooLarge()
  return part.bytes
}

export const mediaRoutes: FastifyPluginAsyncTypebox<{ ctx: CommandApiContext }> = async (app, { ctx }) => {
  // A larger file fails toBuffer() with @fastify/multipart's 413 error, or comes back cut short (readFileField).
  await app.register(multipart, { limits: { fileSize: MAX_MEDIA_BYTES, files: 1, fields: 10 } })

  app.post(
    '/media',
    {
      onRequest: requireAuth,
      schema: {
        consumes: ['multipart/form-data'],
        response: { 201: Strict({ mediaId: Type.String(), url: Type.String(), contentType: Type.String(), size: Type.Integer() }) },
      },
    },
    async (request, reply) => {
      const body = await readFileField(request)
      const contentType = (await fileTypeFromBuffer(body))?.mime
      if (contentType === undefined || !ACCEPTED.has(contentType)) throw unsupported('only JPEG, PNG and WebP images are accepted')

      const mediaId = ctx.newId()
      await ctx.media.put(mediaId, { body, contentType, size: body.length, uploaderId: authUser(request).userId })
      return reply.code(201).send({ mediaId, url: `/api/media/${mediaId}`, contentType, size: body.length })
    },
  )
}
