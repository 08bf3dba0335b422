/**
 * The public product page in a real browser on a phone-sized screen: Debian's Chromium driven by
 * playwright-core (no browser download). Seeds through the API what a scan should show, opens
 * /p/{qrCode}, reads what a person would see, checks the story photo loaded and that no script ran,
 * and leaves a screenshot (its path is in the output; PAGE_SCREENSHOT chooses it).
 * Without /usr/bin/chromium the spec skips, unless CI is set: CI must have the browser.
 */
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { deflateSync, crc32 } from 'node:zlib'
import t from 'tap'
import type { AddressInfo } from 'node:net'
import { bearer, buildTestApp, registerUser, type TestApp } from '../../test/testing/harness.ts'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

if (!existsSync(CHROMIUM) && !process.env.CI) {
  t.plan(0, `no browser at ${CHROMIUM} (apt-get install -y chromium); CI runs this`)
} else {
  await browserSpec()
}

/** A real PNG, `width`×`height`, in horizontal bands of the given colours. */
function stripedPng(width: number, height: number, colours: [number, number, number][]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
    const length = Buffer.alloc(4)
    length.writeUInt32BE(data.length)
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(body))
    return Buffer.concat([length, body, crc])
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 2, 0, 0, 0], 8) // 8 bits per channel, RGB
  const rows = Array.from({ length: height }, (_, y) => {
    const colour = colours[Math.floor((y * colours.length) / height)]!
    return Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => colour).flat())])
  })
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))])
}

function multipartImage(png: Buffer) {
  const boundary = `----ptvem${Date.now()}`
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="shirt.png"\r\ncontent-type: image/png\r\n\r\n`),
    png,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ])
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
}

const EVIL_TITLE = '<script>window.__ptvemRan = true</script>First wash'

/** Through the API, as a brand would: a product, a photo, a story showing it (with a title that tries to run a script), a listing. */
async function seed(app: TestApp['app']) {
  const brand = await registerUser(app, { accountType: 'brand', displayName: 'Maison Verte' })
  const send = async (url: string, payload: object | Buffer, headers: Record<string, string> = {}) => {
    const response = await app.inject({ method: 'POST', url, headers: { ...bearer(brand.token), ...headers }, payload })
    if (response.statusCode !== 201) throw new Error(`POST ${url}: ${response.statusCode} ${response.body}`)
    return response.json()
  }
  const product = await send('/api/products', {
    name: 'Linen camp shirt',
    description: 'Washed linen, mother-of-pearl buttons.',
    serialNumber: 'MV-0042',
    materials: [{ fibre: 'linen', percent: 100 }],
    madeIn: 'Portugal',
    originalPrice: { amount: 18_000, currency: 'EUR' },
  })
  const image = multipartImage(stripedPng(PHOTO_WIDTH, 160, [[196, 216, 196], [120, 160, 130], [60, 96, 72]]))
  const { mediaId } = await send('/api/media', image.payload, image.headers)
  const story = await send('/api/stories', {
    productId: product.productId,
    title: EVIL_TITLE,
    body: 'Cut and sewn in our Porto workshop in spring.',
    occurredAt: '2025-04-02T10:00:00.000Z',
    mediaIds: [mediaId],
  })
  if (story.status !== 'published') throw new Error(`the story is ${story.status}`)
  const listing = await send('/api/resale/listings', {
    productId: product.productId,
    price: { amount: 9_500, currency: 'EUR' },
    condition: 'like_new',
    description: 'Worn twice.',
  })
  // The read models catch up with the last write before the browser looks.
  await app.inject({ method: 'GET', url: `/api/products/${product.productId}/details`, headers: { 'x-min-position': listing.position } })
  return { qrCode: product.qrCode as string, mediaId: mediaId as string }
}

const PHOTO_WIDTH = 240

async function browserSpec() {
  const { chromium } = await import('playwright-core')
  type Page = Awaited<ReturnType<Awaited<ReturnType<typeof chromium.launch>>['newPage']>>
  let test: TestApp | undefined
  let browser: Awaited<ReturnType<typeof chromium.launch>> | undefined
  let page: Page
  let seeded: Awaited<ReturnType<typeof seed>>
  let origin: string
  let status: number | undefined
  let contentType: string | undefined
  const problems: string[] = []
  const requested: string[] = []
  const failed: string[] = []

  t.before(async () => {
    test = await buildTestApp()
    seeded = await seed(test.app)
    await test.app.listen({ host: '127.0.0.1', port: 0 })
    origin = `http://127.0.0.1:${(test.app.server.address() as AddressInfo).port}`
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true })
    page = await context.newPage()
    page.on('console', message => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`)
    })
    page.on('pageerror', error => problems.push(`page error: ${error.message}`))
    page.on('request', request => requested.push(request.url()))
    page.on('requestfailed', request => failed.push(`${request.url()}: ${request.failure()?.errorText}`))
    const response = await page.goto(`${origin}/p/${seeded.qrCode}`, { waitUntil: 'load' })
    status = response?.status()
    contentType = response?.headers()['content-type']
  })
  t.teardown(async () => {
    await browser?.close()
    await test?.close()
  })

  t.test('the page a phone opens after a scan', async t => {
    t.equal(status, 200)
    t.match(contentType, /^text\/html/)
    t.match(await page.title(), /^Linen camp shirt · /)
    t.equal((await page.locator('h1').innerText()).trim(), 'Linen camp shirt')
    const verdict = page.locator('.verdict')
    t.equal(await verdict.getAttribute('class'), 'verdict authentic')
    t.match(await verdict.innerText(), /Authentic: this code was issued for this product/)
    const text = await page.locator('body').innerText()
    t.match(text, 'Washed linen, mother-of-pearl buttons.')
    t.match(text, /Materials\s+100% linen/)
    t.match(text, /Made in\s+Portugal/)
    t.match(await page.locator('.listing').innerText(), /€95\.00[\s\S]*Like new/)
    t.match(await page.locator('article').innerText(), 'Cut and sewn in our Porto workshop in spring.')
    const owners = await page.locator('.owners li').allInnerTexts()
    t.equal(owners.length, 1)
    t.match(owners[0], /Maison Verte[\s\S]*\d{4}-\d\d-\d\d – now/)
    const timeline = (await page.locator('.history li').allInnerTexts()).join('\n')
    t.match(timeline, /Product created/)
    t.match(timeline, /Story submitted/)
    t.match(timeline, /Product listed/)
  })

  t.test("the story's photo is shown, loaded from the media store", async t => {
    const image = page.locator('article img')
    t.equal(await image.count(), 1)
    t.equal(await image.getAttribute('src'), `/api/media/${seeded.mediaId}`)
    await image.scrollIntoViewIfNeeded()
    await page.waitForFunction(() => [...document.images].every(img => img.complete))
    t.equal(await image.evaluate((img: HTMLImageElement) => img.naturalWidth), PHOTO_WIDTH)
    t.ok((await image.evaluate((img: HTMLImageElement) => img.getBoundingClientRect().right)) <= 390, 'within the screen')
  })

  t.test('no script runs: a script in a story title is shown as text', async t => {
    t.equal((await page.locator('article h3').innerText()).trim(), EVIL_TITLE)
    t.equal(await page.evaluate(() => document.scripts.length), 0, 'no script element')
    t.equal(await page.evaluate(() => (window as { __ptvemRan?: boolean }).__ptvemRan), undefined, 'nothing ran')
    t.same(problems, [], 'no console errors or page errors')
    t.same(failed, [], 'no failed requests')
    t.same(requested.filter(url => !url.startsWith(origin)), [], 'nothing fetched from elsewhere')
    t.notOk(requested.some(url => /\.m?js(\?|$)/.test(url)), 'no script fetched')
  })

  t.test('it fits a phone screen; a screenshot is left to look at', async t => {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    t.equal(overflow, 0, 'no sideways scrolling')
    const path = process.env.PAGE_SCREENSHOT ?? join(tmpdir(), `ptvem-page-${process.pid}.png`)
    await page.screenshot({ path, fullPage: true })
    t.comment(`screenshot: ${path}`)
  })
}
