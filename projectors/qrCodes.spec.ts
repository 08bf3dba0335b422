import t from 'tap'
import { collections, type QrCodeDoc } from '../readmodels/documents.ts'
import { scenario, until } from './testing/scenario.ts'
import { projected } from './testing/store.ts'

const { events, e } = scenario()

t.test('every code issued stays, active until revoked', async t => {
  const store = await projected(events)
  t.strictSame(await store.get<QrCodeDoc>(collections.qrCodes, 'qr-p1-a'), {
    id: 'qr-p1-a',
    productId: 'p1',
    status: 'revoked',
    issuedAt: e.p1QrIssued.data.issuedAt,
    revokedAt: e.p1QrRevoked.data.revokedAt,
    position: e.p1QrRevoked.position,
  })
  t.strictSame(await store.get<QrCodeDoc>(collections.qrCodes, 'qr-p1-b'), {
    id: 'qr-p1-b',
    productId: 'p1',
    status: 'active',
    issuedAt: e.p1QrReissued.data.issuedAt,
    revokedAt: null,
    position: e.p1QrReissued.position,
  })
  t.equal(await store.get(collections.qrCodes, 'never-issued'), null)
})

t.test('a code reads active before its revocation', async t => {
  const store = await projected(until(events, e.soldToBob))
  t.equal((await store.get<QrCodeDoc>(collections.qrCodes, 'qr-p1-a'))?.status, 'active')
})
