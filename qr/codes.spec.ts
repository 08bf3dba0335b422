import t from 'tap'
import { createQrCodes, namedProductId } from './codes.ts'

const codes = createQrCodes({ secret: 'test-secret', publicBaseUrl: 'https://ptvem.example' })
const issued = codes.issue({ productId: '01JABCDEF0123456789XYZABCD', serialNumber: 'SN-1', nonce: 'n0nce' })

t.test('an issued code verifies to its product', async t => {
  t.same(codes.verify(issued.qrCode), { productId: '01JABCDEF0123456789XYZABCD' })
  t.match(issued.qrCode, /^[A-Za-z0-9_.-]+$/, 'URL-safe')
  t.ok(issued.qrCode.length >= 26 + 22, 'carries at least 128 bits of signature')
})

t.test('qrUrl follows GS1 Digital Link', async t => {
  t.equal(issued.qrUrl, `https://ptvem.example/p/${issued.qrCode}`)
  const withGtin = codes.issue({ productId: 'p1', gtin: '4006381333931', serialNumber: 'A 1/2', nonce: 'n' })
  t.equal(withGtin.qrUrl, `https://ptvem.example/01/04006381333931/21/A%201%2F2?q=${withGtin.qrCode}`)
  t.throws(() => codes.issue({ productId: 'p1', gtin: '12ab', serialNumber: 's', nonce: 'n' }))
})

t.test('forged, altered, truncated and other-secret codes are refused', async t => {
  const [productId, nonce, signature] = issued.qrCode.split('.') as [string, string, string]
  const flip = (s: string, at: number) => s.slice(0, at) + (s[at] === 'A' ? 'B' : 'A') + s.slice(at + 1)
  const refused = {
    forged: `${productId}.${nonce}.${'A'.repeat(22)}`,
    'other product': `01JABCDEF0123456789XYZABCE.${nonce}.${signature}`,
    'other nonce': `${productId}.n0ncf.${signature}`,
    'altered signature': `${productId}.${nonce}.${flip(signature, 3)}`,
    'non-canonical signature': `${productId}.${nonce}.${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`,
    truncated: issued.qrCode.slice(0, -1),
    'signature dropped': `${productId}.${nonce}`,
    'extra part': `${issued.qrCode}.x`,
    empty: '',
    'other secret': createQrCodes({ secret: 'other', publicBaseUrl: 'https://ptvem.example' }).issue({
      productId,
      serialNumber: 'SN-1',
      nonce,
    }).qrCode,
  }
  for (const [name, code] of Object.entries(refused)) t.equal(codes.verify(code), null, name)
})

t.test('ids that are not URL-safe are refused at issue', async t => {
  t.throws(() => codes.issue({ productId: 'a.b', serialNumber: 's', nonce: 'n' }))
  t.throws(() => codes.issue({ productId: 'p', serialNumber: 's', nonce: 'n/../' }))
})

t.test('the product a code names is read without checking it', async t => {
  const { qrCode } = codes.issue({ productId: 'p-1', serialNumber: 'S1', nonce: 'n1' })
  t.equal(namedProductId(qrCode), 'p-1')
  t.equal(namedProductId('p-2.forged.AAAA'), 'p-2')
  t.equal(namedProductId('nonsense'), '')
})
