/**
 * POST /media: an image upload for stories, typed by its first bytes (never by its name or declared type) before
 * the rest is read, then written to a temporary file as it arrives (busboy stops it at MAX_MEDIA_BYTES), cleaned of
 * its metadata into another (photo.ts) and streamed to the media store: no upload is ever held whole in memory.
 * Refusals come before the body is read where they can (auth, the per-address and per-user rates, the daily
 * quotas, the type), and close the connection rather than read the rest of the body.
 */
import { createReadStream } from 'node:fs'
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import multipart from '@fastify/multipart'
import type { FastifyError, FastifyRequest } from 'fastify'
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { CommandApiContext } from '../../app/context.ts'
import { authUser, requireAuth } from '../../http/auth.ts'
import { Gate } from '../../http/gate.ts'
import { HttpProblem } from '../../http/problem.ts'
import { Strict } from '../../shared/schemas.ts'
import { cleaned, typed, unsupported } from './photo.ts'
import { countUpload, countUploadBytes } from './quota.ts'

export const MAX_MEDIA_BYTES = 10 * 1024 * 1024
/**
 * Uploads received at once, and waiting for a turn (503 beyond, before the body is read): each takes at most
 * 2 × 10 MB of disk while it is handled, and no memory to speak of.
 */
const RECEIVING = { concurrent: 16, waiting: 16 }
/** Photos decoded at once, and waiting for a turn: each may take up to 160 MB while it is cleaned. As many may
 * wait as are received at once, so that an upload received is never refused for want of a turn. */
const CLEANING = { concurrent: 2, waiting: RECEIVING.concurrent }

const tooLarge = () => new HttpProblem(413, 'Payload Too Large', `an image may have at most ${MAX_MEDIA_BYTES} bytes`)
const malformed = () => new HttpProblem(400, 'Bad Request', 'the multipart body is malformed', [{ path: '/body', message: 'is not a complete multipart body' }])

interface Photo {
  /** The cleaned photo's file. */
  file: string
  contentType: string
  size: number
}

/** The photo in the multipart field `file`, received into `dir` and cleaned there. */
async function receivePhoto(request: FastifyRequest, ctx: CommandApiContext, gate: Gate, dir: string): Promise<Photo> {
  if (!request.isMultipart()) throw unsupported('send the image as multipart/form-data in the field "file"')
  try {
    const file = await request.file()
    if (file?.fieldname !== 'file') {
      throw new HttpProblem(400, 'Bad Request', 'the image goes in the multipart field "file"', [{ path: '/body/file', message: 'is required' }])
    }
    const { contentType, stream } = await typed(file.file)
    const [received, photo] = [join(dir, 'received'), join(dir, 'cleaned')]
    await writeFile(received, stream)
    // busboy stops a file at the limit and marks it truncated: what arrived of it is not the photo sent.
    if (file.file.truncated) throw tooLarge()
    await countUploadBytes(ctx, authUser(request).userId, (await stat(received)).size)
    const size = await gate.run(() => cleaned(received, photo, contentType))
    return { file: photo, contentType, size }
  } catch (error) {
    // The multipart plugin's own errors carry their status (413 too large); the parser's (a truncated body) do not.
    if (error instanceof HttpProblem || (error as Partial<FastifyError>).statusCode !== undefined) throw error
    throw malformed()
  }
}

export const mediaRoutes: FastifyPluginAsyncTypebox<{ ctx: CommandApiContext }> = async (app, { ctx }) => {
  await app.register(multipart, { limits: { fileSize: MAX_MEDIA_BYTES, files: 1, fields: 10 } })
  const receiving = new Gate('uploads being received', RECEIVING.concurrent, RECEIVING.waiting)
  const cleaning = new Gate('photos being processed', CLEANING.concurrent, CLEANING.waiting)
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
      const stored = await receiving.run(async () => {
        const dir = await mkdtemp(join(tmpdir(), 'ptvem-upload-'))
        try {
          const { file, contentType, size } = await receivePhoto(request, ctx, cleaning, dir)
          const mediaId = ctx.newId()
          await ctx.media.put(mediaId, { body: createReadStream(file), contentType, size, uploaderId: authUser(request).userId })
          return { mediaId, url: `/api/media/${mediaId}`, contentType, size }
        } finally {
          await rm(dir, { recursive: true, force: true })
        }
      })
      return reply.code(201).send(stored)
    },
  )
}
