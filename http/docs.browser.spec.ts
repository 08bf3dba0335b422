/**
 * Swagger UI at /docs in a real browser (test/browser.ts), under the content security policy every response
 * carries: the UI loads, shows the API's operations, opens one, and nothing is refused or fails.
 */
import t from 'tap'
import type { AddressInfo } from 'node:net'
import { buildTestApp, type TestApp } from '../test/testing/harness.ts'
import { launchChromium, withBrowser } from '../test/browser.ts'

await withBrowser(t, async () => t.test('Swagger UI at /docs works under its content security policy', async t => {
  let test: TestApp | undefined
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined
  t.teardown(async () => {
    await browser?.close()
    await test?.close()
  })
  test = await buildTestApp()
  await test.app.listen({ host: '127.0.0.1', port: 0 })
  const origin = `http://127.0.0.1:${(test.app.server.address() as AddressInfo).port}`
  browser = await launchChromium()
  const page = await browser.newPage()
  const problems: string[] = []
  page.on('console', message => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`)
  })
  page.on('pageerror', error => problems.push(`page error: ${error.message}`))
  page.on('requestfailed', request => problems.push(`failed: ${request.url()}: ${request.failure()?.errorText}`))

  const response = await page.goto(`${origin}/docs`, { waitUntil: 'load' })
  t.equal(response?.status(), 200)
  const headers = response?.headers() ?? {}
  t.equal(headers['x-content-type-options'], 'nosniff')
  t.match(headers['content-security-policy'], /default-src 'none'/)

  await page.locator('.swagger-ui .info .title').waitFor({ timeout: 15_000 })
  t.match(await page.locator('.swagger-ui .info .title').innerText(), /PTVEM/)
  const operations = page.locator('.opblock')
  await operations.first().waitFor()
  t.ok((await operations.count()) > 30, 'every operation is listed')

  const scan = page.locator('.opblock-get', { hasText: '/api/products/{qrCode}' }).first()
  await scan.locator('.opblock-summary').click()
  await scan.locator('.opblock-body').waitFor()
  t.match(await scan.locator('.opblock-body').innerText(), /Parameters/, 'an operation opens')
  for (const problem of problems) console.error(problem)
  t.same(problems, [], 'no CSP refusal, console error or failed request')
}))
