/**
 * A product's QR images, rendered once per code and kept (a code's image never changes; a new code has a new
 * ETag). Clients may keep one for a minute without asking, then revalidate with If-None-Match: a 304 while the
 * code is current.
 */
import { createHash } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { LRUCache } from 'lru-cache'
import { renderQrPng, renderQrSvg } from '../../qr/render.ts'

export type QrFormat = 'png' | 'svg'

const CONTENT_TYPES: Record<QrFormat, string> = { png: 'image/png', svg: 'image/svg+xml' }
/** Images of the codes most recently asked for, each 1–10 KB. */
const KEPT = 2000
/** How long a client may show the image without asking whether the product's code changed. */
export const QR_CACHE_CONTROL = 'public, max-age=60, immutable'

interface Image {
  etag: string
  body: Buffer | string
}

export class QrImages {
  readonly #images = new LRUCache<string, Promise<Image>>({ max: KEPT })

  async send(request: FastifyRequest, reply: FastifyReply, format: QrFormat, url: string): Promise<FastifyReply> {
    const { etag, body } = await this.#image(format, url)
    reply.header('etag', etag).header('cache-control', QR_CACHE_CONTROL)
    if (request.headers['if-none-match']?.split(',').some(tag => tag.trim() === etag)) return reply.code(304).send()
    return reply.type(CONTENT_TYPES[format]).send(body)
  }

  #image(format: QrFormat, url: string): Promise<Image> {
    const key = `${format} ${url}`
    let image = this.#images.get(key)
    if (!image) {
      const etag = `"${format}-${createHash('sha256').update(url).digest('base64url').slice(0, 22)}"`
      image = (format === 'png' ? renderQrPng(url) : renderQrSvg(url)).then(body => ({ etag, body }))
      image.catch(() => this.#images.delete(key))
      this.#images.set(key, image)
    }
    return image
  }
}
