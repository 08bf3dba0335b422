/**
 * The OpenAPI document says what the API answers, so that a client (or a fuzzer: `npm run fuzz`) can hold
 * it to that: every error as problem+json, each route's own success codes, bounds OpenAPI 3.0 can read.
 */
import t from 'tap'
import { buildTestApp } from '../test/testing/harness.ts'

const { app, close } = await buildTestApp()
t.teardown(close)

type Operation = { requestBody?: unknown; responses: Record<string, { content?: Record<string, { schema: object }> }> }
const document = (await app.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, Record<string, Operation>> }
const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, operation })),
)

t.test('every operation documents its client errors as problem details', async t => {
  t.ok(operations.length > 40, `${operations.length} operations`)
  for (const { name, operation } of operations) {
    const problem = operation.responses['4XX']?.content?.['application/problem+json']?.schema
    t.match(problem, { required: ['type', 'title', 'status', 'detail'] }, name)
  }
})

t.test('numeric bounds are written the OpenAPI 3.0 way', async t => {
  const text = JSON.stringify(document)
  t.notMatch(text, /"exclusive(Minimum|Maximum)":\s*-?\d/, 'no numeric exclusiveMinimum/Maximum')
  const materials = (document.paths['/api/products']!.post!.requestBody as { content: Record<string, { schema: { properties: Record<string, { items: { properties: Record<string, object> } }> } }> })
    .content['application/json']!.schema.properties.materials!.items.properties.percent
  t.match(materials, { minimum: 0, exclusiveMinimum: true, maximum: 100 })
})

t.test('routes that take no body document none, and their real success codes', async t => {
  for (const name of ['POST /api/products/{productId}/qr', 'DELETE /api/stories/{storyId}', 'POST /api/resale/transactions/{transactionId}/cancel']) {
    const operation = operations.find(candidate => candidate.name === name)?.operation
    t.ok(operation, name)
    t.equal(operation?.requestBody, undefined, `${name} has no request body`)
  }
  t.ok(document.paths['/api/stories/{storyId}']!.delete!.responses['204'], 'a deleted story is a 204')
  t.notOk(document.paths['/api/stories/{storyId}']!.delete!.responses['200'])
})

t.test('what is not JSON says what it is', async t => {
  const mediaTypes = (path: string, status = '200') => Object.keys(document.paths[path]!.get!.responses[status]?.content ?? {}).sort()
  t.same(mediaTypes('/p/{qrCode}'), ['application/json', 'text/html'])
  t.same(mediaTypes('/p/{qrCode}', '404'), ['application/problem+json', 'text/html'])
  t.same(mediaTypes('/api/products/{productId}/qr.svg'), ['image/svg+xml'])
  t.same(mediaTypes('/api/products/{productId}/qr.png'), ['image/png'])
  t.same(mediaTypes('/api/media/{mediaId}'), ['image/jpeg', 'image/png', 'image/webp'])
  t.same(mediaTypes('/api/products/{productId}/live'), ['text/event-stream'])
  t.match(document.paths['/api/products/{productId}/history']!.get, { parameters: [{ name: 'at', schema: { pattern: /^\^/ } }] })
})
