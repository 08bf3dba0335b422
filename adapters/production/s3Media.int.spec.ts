import t from 'tap'
import { mediaContract } from '../testing/media.contract.ts'
import { serverSettings } from '../testing/servers.ts'
import { S3Media } from './s3Media.ts'

const settings = serverSettings(t, ['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY', 'S3_REGION'])
if (settings) {
  mediaContract(t, () =>
    S3Media.connect({
      endpoint: settings.S3_ENDPOINT,
      region: settings.S3_REGION,
      bucket: settings.S3_BUCKET,
      accessKeyId: settings.S3_ACCESS_KEY_ID,
      secretAccessKey: settings.S3_SECRET_ACCESS_KEY,
    }),
  )
}
