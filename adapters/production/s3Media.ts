import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import { assertMediaId, isMediaId } from '../mediaId.ts'
import type { MediaStore, MediaToStore, StoredMedia } from '../ports.ts'

export interface S3MediaOptions {
  /** For MinIO and other S3-compatible servers; unset for AWS. */
  endpoint?: string
  region: string
  bucket: string
  accessKeyId?: string
  secretAccessKey?: string
}

/** S3 keeps user-defined metadata keys in lower case. */
const UPLOADER = 'uploader-id'

/** Media as objects in one bucket; content type and uploader travel as the object's own metadata. */
export class S3Media implements MediaStore {
  private constructor(
    readonly client: S3Client,
    readonly bucket: string,
  ) {}

  /** Resolves once the bucket answers, so a wrong endpoint, bucket or credential fails at start-up. */
  static async connect({ endpoint, region, bucket, accessKeyId, secretAccessKey }: S3MediaOptions): Promise<S3Media> {
    const client = new S3Client({
      endpoint,
      region,
      forcePathStyle: true,
      // S3-compatible servers do not all accept the SDK's default CRC32 checksums.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
    })
    try {
      await client.send(new HeadBucketCommand({ Bucket: bucket }))
    } catch (error) {
      client.destroy()
      throw new Error(`S3 bucket ${bucket} is not reachable: ${(error as Error).name}`, { cause: error })
    }
    return new S3Media(client, bucket)
  }

  /** One PutObject; a stream goes out as it is read, its length given up front. */
  async put(mediaId: string, { body, contentType, size, uploaderId }: MediaToStore): Promise<void> {
    assertMediaId(mediaId)
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: mediaId,
        Body: body,
        ContentType: contentType,
        ContentLength: size,
        Metadata: { [UPLOADER]: uploaderId },
      }),
    )
  }

  async get(mediaId: string): Promise<StoredMedia | null> {
    if (!isMediaId(mediaId)) return null
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: mediaId }))
      const body = Buffer.from((await object.Body?.transformToByteArray()) ?? [])
      return {
        body,
        contentType: object.ContentType ?? 'application/octet-stream',
        size: body.length,
        uploaderId: object.Metadata?.[UPLOADER] ?? '',
      }
    } catch (error) {
      if (error instanceof NoSuchKey) return null
      throw error
    }
  }

  async signedUrl(mediaId: string, expiresInSeconds: number): Promise<string | null> {
    assertMediaId(mediaId)
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: mediaId }), { expiresIn: expiresInSeconds })
  }

  async delete(mediaId: string): Promise<void> {
    if (!isMediaId(mediaId)) return
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: mediaId }))
  }

  async close(): Promise<void> {
    this.client.destroy()
  }
}
