/** Shared by the command-api specs: one app per spec file, a terse inject, and the steps most scenarios start from. */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { bearer, buildTestApp, type TestApp, type TestAppOptions, type TestUser } from '../../test/testing/harness.ts'

export const EUR = (amount: number) => ({ amount, currency: 'EUR' })

export async function testApp(t: { teardown(close: () => Promise<void>): void }, options?: TestAppOptions): Promise<TestApp> {
  const test = await buildTestApp(options)
  t.teardown(() => test.close())
  return test
}

export interface Call {
  as?: TestUser
  payload?: InjectOptions['payload']
  headers?: Record<string, string>
}

/** A request to /api{url}, as the given user. */
export const call = (app: FastifyInstance, method: 'POST' | 'PUT' | 'DELETE', url: string, { as, payload, headers }: Call = {}) =>
  app.inject({ method, url: `/api${url}`, payload, headers: { ...(as && bearer(as.token)), ...headers } })

export const isProblem = (response: LightMyRequestResponse, status: number): boolean =>
  response.statusCode === status && String(response.headers['content-type']).startsWith('application/problem+json')

async function expectCreated(request: Promise<LightMyRequestResponse>, what: string) {
  const response = await request
  if (response.statusCode !== 201) throw new Error(`${what} failed: ${response.statusCode} ${response.body}`)
  return { ...response.json(), etag: response.headers.etag as string | undefined }
}

export const newProduct = (app: FastifyInstance, brand: TestUser, product: object = {}) =>
  expectCreated(
    call(app, 'POST', '/products', { as: brand, payload: { name: 'Waxed jacket', originalPrice: EUR(40_000), ...product } }),
    'create product',
  ) as Promise<{ productId: string; qrCode: string; qrUrl: string; ownerId: string; position: string; etag: string }>

export const newListing = async (app: FastifyInstance, owner: TestUser, productId: string, price = EUR(20_000)): Promise<string> =>
  (await expectCreated(call(app, 'POST', '/resale/listings', { as: owner, payload: { productId, price, condition: 'good' } }), 'list')).listingId

export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64')

const BOUNDARY = 'ptvem-test-boundary'

/** A multipart/form-data request with one file part. */
export function multipart(bytes: Buffer, filename: string, declaredType: string, field = 'file') {
  const head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${declaredType}\r\n\r\n`
  return {
    payload: Buffer.concat([Buffer.from(head), bytes, Buffer.from(`\r\n--${BOUNDARY}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
  }
}

export const uploadPng = async (app: FastifyInstance, as: TestUser): Promise<string> =>
  (await expectCreated(call(app, 'POST', '/media', { as, ...multipart(PNG, 'photo.png', 'image/png') }), 'upload')).mediaId
