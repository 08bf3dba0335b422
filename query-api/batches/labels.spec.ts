/**
 * The labels as printed: the PDF rendered to images at print resolution with pdftoppm (poppler-utils) and every
 * QR code read back with zbarimg (zbar-tools), as a scanner would read the sheet.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { finished, readBatch, submit } from '../../command-api/batches/testing.ts'
import { testApp } from '../../command-api/testing/specSupport.ts'
import { registerUser } from '../../test/testing/harness.ts'

const run = promisify(execFile)
const tools = ['pdftoppm', 'pdfinfo', 'zbarimg']
const missing = (await Promise.all(tools.map(tool => run('which', [tool]).then(() => null, () => tool)))).filter(tool => tool !== null)
if (missing.length > 0) {
  // In CI a missing tool fails the spec; elsewhere it is reported and the spec skipped.
  if (process.env.CI === 'true') t.fail(`missing ${missing.join(', ')}: apt-get install poppler-utils zbar-tools`)
  else t.plan(0, `missing ${missing.join(', ')}: apt-get install poppler-utils zbar-tools`)
} else {
  const { app } = await testApp(t)
  const brand = await registerUser(app, { accountType: 'brand', gs1CompanyPrefixes: ['4006381'] })

  /** The codes zbarimg reads from the PDF's pages rendered at `dpi`, and the page count. */
  async function scanned(pdf: Buffer, dpi: number): Promise<{ pages: number; codes: string[] }> {
    const dir = await mkdtemp(join(tmpdir(), 'ptvem-labels-'))
    try {
      await writeFile(join(dir, 'labels.pdf'), pdf)
      const info = await run('pdfinfo', [join(dir, 'labels.pdf')])
      const pages = Number(/^Pages:\s+(\d+)/m.exec(info.stdout)?.[1])
      await run('pdftoppm', ['-r', String(dpi), '-gray', '-png', join(dir, 'labels.pdf'), join(dir, 'page')])
      const codes: string[] = []
      for (const image of (await readdir(dir)).filter(file => file.endsWith('.png'))) {
        const { stdout } = await run('zbarimg', ['-q', '--raw', '-Sdisable', '-Sqrcode.enable', join(dir, image)])
        codes.push(...stdout.split('\n').filter(line => line !== ''))
      }
      return { pages, codes }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }

  t.test('every issued product’s QR code reads back from the printed sheet', async t => {
    const items: object[] = Array.from({ length: 30 }, (_, index) =>
      index % 2 === 0 ? { name: `Parka ${index}`, gtin: '4006381333931', serialNumber: `LBL/${index}%` } : { name: `Scarf ${index}` },
    )
    items.push({ name: 'Refused: outside the prefixes', gtin: '5901234123457', serialNumber: 'X' })
    const batch = await finished(app, brand, (await submit(app, brand, items)).json().batchId)
    t.equal(batch.products.length, 30)
    const response = await readBatch(app, brand, batch.batchId, '/labels.pdf')
    t.equal(response.statusCode, 200)
    t.match(response.headers['content-type'], /^application\/pdf/)
    t.equal(response.rawPayload.subarray(0, 5).toString(), '%PDF-')
    const { pages, codes } = await scanned(response.rawPayload, 300)
    t.equal(pages, 2, '21 labels to an A4 page')
    t.same(codes.sort(), batch.products.map((product: { qrUrl: string }) => product.qrUrl).sort(), 'each qrUrl, once, and nothing else')

    const letter = await readBatch(app, brand, batch.batchId, '/labels.pdf?size=letter')
    t.equal(letter.statusCode, 200)
    t.same((await scanned(letter.rawPayload, 300)).codes.sort(), codes, 'letter paper too')
  })

  t.test('labels wait for a running batch to finish', async t => {
    const submitted = (await submit(app, brand, Array.from({ length: 500 }, (_, index) => ({ name: `Tee ${index}` })))).json()
    const early = await readBatch(app, brand, submitted.batchId, '/labels.pdf')
    t.equal(early.statusCode, 409)
    await finished(app, brand, submitted.batchId)
    t.equal((await readBatch(app, brand, submitted.batchId, '/labels.pdf')).statusCode, 200)
  })
}
