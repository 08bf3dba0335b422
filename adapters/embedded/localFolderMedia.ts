import { randomUUID } from 'node:crypto'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { assertMediaId, isMediaId } from '../mediaId.ts'
import type { Readable } from 'node:stream'
import type { MediaStore, MediaToStore, StoredMedia } from '../ports.ts'

type Sidecar = Pick<StoredMedia, 'contentType' | 'uploaderId'>

/** Media as files in one folder, each with a JSON sidecar; the sidecar is written last, so its presence means complete. */
export class LocalFolderMedia implements MediaStore {
  readonly #ready: Promise<unknown>

  constructor(readonly dir: string) {
    this.#ready = mkdir(dir, { recursive: true })
  }

  async put(mediaId: string, { body, contentType, uploaderId }: MediaToStore): Promise<void> {
    assertMediaId(mediaId)
    await this.#ready
    const sidecar: Sidecar = { contentType, uploaderId }
    await writeAtomically(this.#body(mediaId), body)
    await writeAtomically(this.#sidecar(mediaId), JSON.stringify(sidecar))
  }

  async get(mediaId: string): Promise<StoredMedia | null> {
    if (!isMediaId(mediaId)) return null
    try {
      const { contentType, uploaderId } = JSON.parse(await readFile(this.#sidecar(mediaId), 'utf8')) as Sidecar
      const body = await readFile(this.#body(mediaId))
      return { body, contentType, uploaderId, size: body.length }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw error
    }
  }

  async signedUrl(): Promise<string | null> {
    return null
  }

  async delete(mediaId: string): Promise<void> {
    if (!isMediaId(mediaId)) return
    await rm(this.#sidecar(mediaId), { force: true })
    await rm(this.#body(mediaId), { force: true })
  }

  async close(): Promise<void> {}

  #body(mediaId: string): string {
    return join(this.dir, mediaId)
  }

  #sidecar(mediaId: string): string {
    return join(this.dir, `${mediaId}.json`)
  }
}

/** Written to a temporary file beside `path` (a stream as it is read), then renamed into place. */
const writeAtomically = async (path: string, data: Buffer | string | Readable): Promise<void> => {
  const temporary = `${path}.${randomUUID()}.tmp`
  try {
    await writeFile(temporary, data)
    await rename(temporary, path)
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
}
