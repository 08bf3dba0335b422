/**
 * GS1's own resolver conformance suite (github.com/gs1/GS1DL-resolver-testsuite, the code behind
 * ref.gs1.org/test-suites/resolver/) run against the real service: `tsx app/main.ts`, what `npm start` bundles and runs,
 * behind a TLS front with a self-signed certificate (the suite tests https URIs only), a brand's product issued
 * through the API, and the suite's browser JavaScript run on that product's Digital Link URI in Debian's
 * Chromium (playwright-core). Every test of the suite must pass.
 *
 * The suite is not a package: point GS1_RESOLVER_SUITE at a checkout of it and GS1_RESOLVER_ARTEFACTS at a folder
 * with the documents it fetches from GS1 (`gs1-linkset-schema.json`, `description-file-schema.json`,
 * `linktypes.json`); without them the spec skips, saying why. The suite's server-side helper (`tester.php`,
 * which fetches a URL and reports the status and headers) is played by `tester` below, and the browser's requests
 * for GS1's documents are answered from those files, so nothing leaves the machine.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { createServer, request as httpsRequest } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { Client } from '../acceptance/testing/client.ts'
import { signUp, logInAsAdmin } from '../acceptance/testing/people.ts'
import { startServer } from '../acceptance/testing/server.ts'

const SUITE = process.env.GS1_RESOLVER_SUITE
const ARTEFACTS = process.env.GS1_RESOLVER_ARTEFACTS
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const SUITE_FILES = ['GS1DigitalLinkToolkit.js', 'GS1DigitalLinkResolverTestSuite.js']
const ARTEFACT_FILES = { 'gs1-linkset-schema.json': 'https://gs1.github.io/linkset/gs1-linkset-schema.json', 'description-file-schema.json': 'https://ref.gs1.org/standards/resolver/description-file-schema', 'linktypes.json': 'https://ref.gs1.org/voc/data/linktypes' }
// Where the suite's page pretends to live; its requests to GS1 and to the helper never reach a network.
const SUITE_ORIGIN = 'https://resolver-suite.test'
const TESTER_URL = /\/tester\.php\?/
// The suite's page (a public origin) fetches from the resolver, which here is on the loopback address; a
// deployed resolver is public, so Chromium's Local Network Access prompt has no part in what is tested.
const LOCAL_SERVICE = ['--disable-features=LocalNetworkAccessChecks,PrivateNetworkAccessSendPreflights,PrivateNetworkAccessRespectPreflightResults,BlockInsecurePrivateNetworkRequests']

const missing = [
  !SUITE && 'GS1_RESOLVER_SUITE is not set (a checkout of github.com/gs1/GS1DL-resolver-testsuite; not a package, so CI does not run this)',
  SUITE && SUITE_FILES.some(file => !existsSync(join(SUITE, file))) && `${SUITE} lacks ${SUITE_FILES.join(' or ')}`,
  !ARTEFACTS && "GS1_RESOLVER_ARTEFACTS is not set (a folder with GS1's linkset schema, description-file schema and link types)",
  ARTEFACTS && Object.keys(ARTEFACT_FILES).some(file => !existsSync(join(ARTEFACTS, file))) && `${ARTEFACTS} lacks one of ${Object.keys(ARTEFACT_FILES).join(', ')}`,
  !existsSync(CHROMIUM) && `no browser at ${CHROMIUM} (apt-get install -y chromium)`,
].filter(Boolean)

if (missing.length > 0) t.plan(0, missing.join('; '))
else t.test("GS1's resolver conformance suite passes every test on a minted Digital Link URI", t => conformance(t, SUITE!, ARTEFACTS!))

/** A self-signed certificate for 127.0.0.1, made with openssl for this run. */
function selfSigned(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'ptvem-tls-'))
  try {
    const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')]
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' })
    return { key: readFileSync(key), cert: readFileSync(cert) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** HTTPS on a port of its own, every request passed to the service over HTTP as it came. */
async function tlsFront(): Promise<{ port: number; target(base: string): void; close(): Promise<void> }> {
  let target = ''
  const server = createServer(selfSigned(), (incoming, outgoing) => {
    const upstream = httpRequest(`${target}${incoming.url}`, { method: incoming.method, headers: incoming.headers }, response => {
      outgoing.writeHead(response.statusCode!, response.headers)
      response.pipe(outgoing)
    })
    upstream.on('error', () => outgoing.writeHead(502).end())
    incoming.pipe(upstream)
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    target: base => (target = base),
    close: () => new Promise(resolve => server.close(() => resolve())),
  }
}

interface Fetched {
  status: number
  reason: string
  httpVersion: string
  headers: Record<string, string>
  body: string
}

function fetchRaw(url: string, method: string, headers: Record<string, string>): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const call = httpsRequest(url, { method, headers, rejectUnauthorized: false }, response => {
      const chunks: Buffer[] = []
      response.on('data', chunk => chunks.push(chunk))
      response.on('end', () =>
        resolve({
          status: response.statusCode!,
          reason: response.statusMessage ?? '',
          httpVersion: `HTTP/${response.httpVersion}`,
          headers: Object.fromEntries(Object.entries(response.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value)])),
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      )
    })
    call.on('error', reject)
    call.end()
  })
}

const ORIGIN_HEADER = { origin: 'https://ref.gs1.org/test-suites/resolver/' }

/**
 * What the suite's tester.php answers: it reads its query string URL-decoded twice (PHP's urldecode, then
 * parse_str), fetches the https URL `testVal` without following redirects, and reports the status and headers
 * (`getAllHeaders` with the optional Accept `mediaType` and Accept-Language `lang`, `getLinksetHeaders` and
 * `getLinkset` asking for application/linkset+json, `getCorsHeaders` by OPTIONS, `getHTTPversion`).
 */
async function tester(query: string): Promise<unknown> {
  const params = new URLSearchParams(decodeURIComponent(query.replace(/\+/g, ' ')))
  const [test, testVal] = [params.get('test'), params.get('testVal') ?? '']
  if (!testVal.startsWith('https://')) return { error: 'No valid command received' }
  const report = (fetched: Fetched) => ({ uri: testVal, httpCode: fetched.status, httpMsg: fetched.reason, ...fetched.headers })
  switch (test) {
    case 'getHTTPversion':
      return { test, testVal, result: (await fetchRaw(testVal, 'HEAD', {})).httpVersion }
    case 'getAllHeaders': {
      const mediaType = params.get('mediaType')
      const lang = params.get('lang')
      const headers = { ...ORIGIN_HEADER, accept: mediaType ?? '*/*', ...(lang !== null && { 'accept-language': lang }) }
      return { test, testVal, result: report(await fetchRaw(testVal, 'GET', headers)) }
    }
    case 'getLinksetHeaders':
      return { test, testVal, result: report(await fetchRaw(testVal, 'GET', { ...ORIGIN_HEADER, accept: 'application/linkset+json' })) }
    case 'getCorsHeaders':
      return { test, testVal, result: report(await fetchRaw(testVal, 'OPTIONS', { ...ORIGIN_HEADER, 'access-control-request-method': 'GET,HEAD,OPTIONS' })) }
    case 'getLinkset': {
      const fetched = await fetchRaw(testVal, 'GET', { ...ORIGIN_HEADER, accept: 'application/linkset+json' })
      const result = { uri: testVal, httpCode: fetched.status, httpMsg: fetched.reason, headers: fetched.headers, responseBody: encodeURIComponent(fetched.body) }
      return { test, testVal, result: JSON.stringify(result) }
    }
    default:
      return { error: 'Invalid test command' }
  }
}

/** `window.ajv7`, which the suite's page loads from a CDN: Ajv (draft-07) from node_modules, bundled by esbuild. */
async function ajvBundle(): Promise<string> {
  const { build } = await import('esbuild')
  const bundled = await build({ stdin: { contents: "import Ajv from 'ajv'; window.ajv7 = Ajv", resolveDir: process.cwd() }, bundle: true, write: false, format: 'iife', logLevel: 'silent' })
  return bundled.outputFiles[0]!.text
}

const HOST_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>GS1 resolver test suite</title>
<script src="ajv7.js"></script><script src="GS1DigitalLinkToolkit.js"></script><script src="GS1DigitalLinkResolverTestSuite.js"></script>
</head><body><img id="rotatingcircle" alt=""><div id="gs1ResolverTests"></div></body></html>`

interface SuiteResult {
  id: string
  status: 'pass' | 'warn' | 'fail'
  msg: string
  test: string
}

async function conformance(t: Test, suite: string, artefacts: string) {
  const front = await tlsFront()
  t.teardown(() => front.close())
  const publicBase = `https://127.0.0.1:${front.port}`
  const server = await startServer(t, { PUBLIC_BASE_URL: publicBase })
  front.target(server.base)

  const api = new Client(server.base)
  const brand = await signUp(t, api, { displayName: 'Maison Verte', brandName: 'Maison Verte' })
  const admin = await logInAsAdmin(t, api)
  // Verified brands only issue products of their GS1 Company Prefixes; a service without brand verification has no such route.
  await api.send(`POST /api/admin/brands/${brand.userId}/verification`, { as: admin, body: { decision: 'approve', gs1CompanyPrefixes: ['4006381'] } })
  const { qrUrl } = await api.call(t, 'POST /api/products', { as: brand, body: { name: 'Camp shirt', gtin: '4006381333931', serialNumber: 'SN0001' } }, 201)
  const dl = (qrUrl as string).split('?')[0]!
  t.match(dl, `${publicBase}/01/04006381333931/21/SN0001`, 'the product has a Digital Link URI on the TLS front')

  const { chromium } = await import('playwright-core')
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...LOCAL_SERVICE],
  })
  t.teardown(() => browser.close())
  const context = await browser.newContext({ ignoreHTTPSErrors: true })
  const page = await context.newPage()
  const files: Record<string, string> = Object.fromEntries(SUITE_FILES.map(file => [`${SUITE_ORIGIN}/${file}`, readFileSync(join(suite, file), 'utf8')]))
  files[`${SUITE_ORIGIN}/ajv7.js`] = await ajvBundle()
  const documents = Object.fromEntries(Object.entries(ARTEFACT_FILES).map(([file, url]) => [url, readFileSync(join(artefacts, file), 'utf8')]))
  const json = (body: unknown) => ({ status: 200, contentType: 'application/json', headers: { 'access-control-allow-origin': '*' }, body: typeof body === 'string' ? body : JSON.stringify(body) })

  // Only the service itself is reached over the network; everything else the page asks for is answered here.
  await context.route(url => !url.href.startsWith(publicBase), async route => {
    const url = route.request().url()
    if (url === `${SUITE_ORIGIN}/`) return route.fulfill({ status: 200, contentType: 'text/html', body: HOST_PAGE })
    if (files[url] !== undefined) return route.fulfill({ status: 200, contentType: 'text/javascript', body: files[url] })
    if (documents[url] !== undefined) return route.fulfill(json(documents[url]))
    if (TESTER_URL.test(url)) return route.fulfill(json(await tester(url.slice(url.indexOf('?') + 1))))
    return route.fulfill({ status: 404, body: '' })
  })
  const consoleLines: string[] = []
  page.on('console', message => consoleLines.push(message.text()))
  await page.goto(`${SUITE_ORIGIN}/`)
  await page.evaluate(`testDL(${JSON.stringify(dl)})`)
  // The TLS and description-file checks run alongside the others and are not awaited by testDL.
  await page.waitForFunction(`['tlsOK', 'rdFile'].every(id => resultsArray.some(result => result.id === id && result.status === 'pass'))`, undefined, { timeout: 15_000 }).catch(() => {})
  const results = (await page.evaluate('resultsArray.map(({ id, status, msg, test }) => ({ id, status, msg, test }))')) as SuiteResult[]

  t.ok(results.length >= 20, `the suite ran its tests (${results.length})`)
  for (const { id, status, msg, test } of results) t.equal(status, 'pass', `${id}: ${msg} (${test})`)
  const passed = results.filter(result => result.status === 'pass').length
  t.comment(`${passed} of ${results.length} tests of GS1's resolver suite pass`)
  if (passed < results.length) t.comment(`the suite's console:\n${consoleLines.join('\n')}`)
  t.same(server.loggedErrors(), [], 'the server logged no error')
}
