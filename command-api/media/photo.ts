/**
 * An uploaded photo, typed from its first bytes and then cleaned: sharp decodes it from a file (at most MAX_PIXELS,
 * so a decompression bomb is refused unread), turns it upright by its EXIF orientation and encodes it again in its
 * own format without metadata (EXIF, GPS, XMP, IPTC, comments; the ICC colour profile is kept) into another file.
 */
import { Readable } from 'node:stream'
import type Sharp from 'sharp'
import { HttpProblem } from '../../http/problem.ts'

export const ACCEPTED = new Set(['image/jpeg', 'image/png', 'image/webp'])
/** 40 megapixels: more than phones' photos; decoded, up to 160 MB. */
const MAX_PIXELS = 40_000_000
/** Enough bytes for file-type to tell JPEG, PNG and WebP apart. */
const SAMPLE_BYTES = 4100

// The image libraries load at the first upload, not at start.
let sharpLoaded: Promise<typeof Sharp> | undefined
const loadSharp = () =>
  (sharpLoaded ??= import('sharp').then(({ default: sharp }) => {
    sharp.cache(false)
    sharp.concurrency(1)
    return sharp
  }))

export const unsupported = (detail: string) => new HttpProblem(415, 'Unsupported Media Type', detail)

/**
 * The type, read from the first bytes of `file` before the rest is read (however small the chunks they come in):
 * a 415 for anything but JPEG, PNG, WebP; else the type and the whole file again as a stream.
 */
export async function typed(file: Readable): Promise<{ contentType: string; stream: Readable }> {
  const chunks = file[Symbol.asyncIterator]() as AsyncIterator<Buffer>
  const head: Buffer[] = []
  for (let length = 0; length < SAMPLE_BYTES; ) {
    const { value, done } = await chunks.next()
    if (done) break
    head.push(value)
    length += value.length
  }
  const sample = Buffer.concat(head)
  const { fileTypeFromBuffer } = await import('file-type')
  const contentType = (await fileTypeFromBuffer(sample))?.mime
  if (contentType === undefined || !ACCEPTED.has(contentType)) {
    await chunks.return?.()
    throw unsupported('only JPEG, PNG and WebP images are accepted')
  }
  async function* whole() {
    yield sample
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value
  }
  return { contentType, stream: Readable.from(whole()) }
}

/** The photo at `from` without its metadata, written to `to`; its size in bytes. A 415 when it cannot be decoded. */
export async function cleaned(from: string, to: string, contentType: string): Promise<number> {
  const format = contentType === 'image/jpeg' ? 'jpeg' : contentType === 'image/png' ? 'png' : 'webp'
  const sharp = await loadSharp()
  try {
    const { size } = await sharp(from, { limitInputPixels: MAX_PIXELS, failOn: 'error' }).rotate().keepIccProfile().toFormat(format).toFile(to)
    return size
  } catch (error) {
    throw unsupported(`the image cannot be read: ${(error as Error).message}`)
  }
}
