/**
 * Load test of uploads (issue 24): `npm start` as a child process on loopback, then N parallel uploads of a photo
 * of nearly 10 MB (PNG of noise, incompressible), then N parallel 10 MB non-images, while the server's RSS is
 * sampled every 20 ms. Goal: the peak RSS stays bounded (no upload held whole in memory: N × 10 MB would show),
 * and the statuses are 201, or 503 with retry-after beyond the uploads received at once. The per-user rates and
 * quotas are lifted for the run. Writes bench/hostile/uploads.json.
 *
 *   npm run bench:uploads [-- --uploads 50]
 */
import { writeFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import sharp from 'sharp'
import { startChild } from './child.ts'

const { values } = parseArgs({ options: { uploads: { type: 'string', default: '50' } } })
const UPLOADS = Number(values.uploads)

const side = 1_800
const photo = await sharp({ create: { width: side, height: side, channels: 3, background: 'grey', noise: { type: 'gaussian', mean: 128, sigma: 60 } } }).png({ compressionLevel: 0 }).toBuffer().then(bytes => new Uint8Array(bytes))
const notAnImage = new Uint8Array(Buffer.alloc(photo.length, 'text '))

const { base, rssMb, api, login, stop } = await startChild({ UPLOADS_PER_MINUTE: '100000', UPLOADS_PER_DAY: '100000', UPLOAD_BYTES_PER_DAY: String(2 ** 40), RATE_LIMIT_COSTLY: '100000' })
await api('POST', '/api/auth/register', { email: 'uploader@bench.test', password: 'uploader-password', displayName: 'Uploader', accountType: 'consumer' })
const token = await login('uploader@bench.test', 'uploader-password')

async function burst(bytes: Uint8Array<ArrayBuffer>, type: string) {
  const before = await rssMb()
  let peak = before.now
  const sampling = setInterval(() => void rssMb().then(rss => (peak = Math.max(peak, rss.now))), 20)
  const started = performance.now()
  const statuses = await Promise.all(
    Array.from({ length: UPLOADS }, async () => {
      const form = new FormData()
      form.append('file', new Blob([bytes], { type }), 'photo.png')
      const response = await fetch(`${base}/api/media`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form }).catch(() => null)
      await response?.arrayBuffer()
      return response?.status ?? 'closed before the body was sent'
    }),
  )
  clearInterval(sampling)
  const counts: Record<string, number> = {}
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1
  return { statuses: counts, seconds: Math.round(performance.now() - started) / 1000, rssMb: { before: Math.round(before.now), peak: Math.round(peak), growth: Math.round(peak - before.now) } }
}

const photos = await burst(photo, 'image/png')
const refused = await burst(notAnImage, 'image/png')
await stop()

const results = { date: new Date().toISOString(), uploads: UPLOADS, bytesEach: photo.length, photos, notImages: refused }
await writeFile(new URL('./uploads.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`)
console.log(JSON.stringify(results, null, 2))
