import t from 'tap'
import { Conflict, Forbidden, NotFound, RuleViolated } from '../errors.ts'
import { spec } from '../testing/spec.ts'
import type { CreateProduct } from './commands.ts'
import { ALICE, ALICE_FROM, BOB, BRAND, CREATED_AT, LISTING, NOW, PRODUCT, STORY, TRANSACTION, command, created, eur, ownedByAlice, passport, qrIssued } from './testing/fixtures.ts'
import { productDecider } from './index.ts'

const { given } = spec(productDecider)
const brand = { roles: ['brand'], now: CREATED_AT }

const VERIFIED = { verified: true, gs1CompanyPrefixes: ['4006381'] }

const createCoat = (data: Partial<CreateProduct['data']> = {}, actorId = BRAND, options = brand) =>
  command(
    'CreateProduct',
    { brandId: BRAND, brandName: 'Atelier', name: 'Wool coat', serialNumber: 'SN-1', originalPrice: eur(20_000), qrCode: 'qr-1', qrUrl: 'https://ptvem.test/p/qr-1', brand: VERIFIED, ...data },
    actorId,
    options,
  )

t.test('CreateProduct', async t => {
  t.test('a brand creates a product with its first QR code; the brand is the first owner', async () => {
    given([]).when(createCoat()).then(passport)
  })
  t.test('keeps the optional passport fields', async () => {
    const materials = [{ fibre: 'wool', percent: 80 }, { fibre: 'cashmere', percent: 20 }]
    const data = { gtin: '4006381333931', materials, madeIn: 'PT', description: 'Double-breasted' }
    given([]).when(createCoat(data)).then([created(data), qrIssued()])
  })
  t.test('drops optional fields passed as undefined', async () => {
    given([]).when(createCoat({ gtin: undefined, description: undefined })).then(passport)
  })
  t.test('refuses a product that already exists', async () => {
    given(passport).when(createCoat()).thenThrows(Conflict, 'product already exists')
  })
  t.test('refuses a user without the brand role', async () => {
    given([]).when(createCoat({}, BRAND, { roles: ['consumer'], now: CREATED_AT })).thenThrows(Forbidden, 'only a brand')
  })
  t.test("refuses to create another brand's product", async () => {
    given([]).when(createCoat({ brandId: 'brand-2' })).thenThrows(Forbidden, 'its own products')
  })
  t.test('refuses a brand that is not verified, or no longer', async () => {
    given([]).when(createCoat({ brand: { verified: false, gs1CompanyPrefixes: [] } })).thenThrows(Forbidden, 'only a verified brand')
  })
  t.test("accepts a GTIN under one of the brand's prefixes, however it is written", async () => {
    const brandOf = (gs1CompanyPrefixes: string[]) => ({ verified: true, gs1CompanyPrefixes })
    for (const [gtin, prefix] of [['4006381333931', '4006381'], ['14006381333938', '4006381'], ['012345678905', '0012345'], ['96385074', '000009638']]) {
      given([]).when(createCoat({ gtin, brand: brandOf(['999999', prefix!]) })).then([created({ gtin }), qrIssued()])
    }
  })
  t.test("refuses a GTIN outside the brand's prefixes", async () => {
    given([]).when(createCoat({ gtin: '5901234123457' })).thenThrows(RuleViolated, "not under any of the brand's GS1 Company Prefixes")
  })
  t.test('a brand with no prefix issues products without a GTIN only', async () => {
    const noPrefix = { verified: true, gs1CompanyPrefixes: [] }
    given([]).when(createCoat({ gtin: '4006381333931', brand: noPrefix })).thenThrows(RuleViolated, 'without a GTIN only')
    given([]).when(createCoat({ brand: noPrefix })).then(passport)
  })
  t.test('refuses a GTIN with an invalid check digit', async () => {
    given([]).when(createCoat({ gtin: '4006381333932' })).thenThrows(RuleViolated, 'invalid GTIN')
  })
  t.test('refuses a GTIN of the wrong length', async () => {
    given([]).when(createCoat({ gtin: '40063813339' })).thenThrows(RuleViolated, 'invalid GTIN')
  })
  t.test('refuses materials that do not add up to 100 percent', async () => {
    given([]).when(createCoat({ materials: [{ fibre: 'wool', percent: 70 }] })).thenThrows(RuleViolated, 'add up to 100')
  })
  t.test('accepts a design from its own collection', async () => {
    const data = { collectionId: 'col-1', designId: 'des-1' }
    given([]).when(createCoat({ ...data, collection: { brandId: BRAND, designIds: ['des-1'] } })).then([created(data), qrIssued()])
  })
  t.test("refuses another brand's collection", async () => {
    given([])
      .when(createCoat({ collectionId: 'col-1', collection: { brandId: 'brand-2', designIds: [] } }))
      .thenThrows(Forbidden, 'another brand')
  })
  t.test('refuses a design that is not in the collection', async () => {
    given([])
      .when(createCoat({ collectionId: 'col-1', designId: 'des-9', collection: { brandId: BRAND, designIds: ['des-1'] } }))
      .thenThrows(RuleViolated, 'not in the collection')
  })
  t.test('refuses a design without a collection', async () => {
    given([]).when(createCoat({ designId: 'des-1' })).thenThrows(RuleViolated, 'needs its collection')
  })
})

t.test('RegenerateQrCode', async t => {
  const regenerate = (actorId: string, qrCode = 'qr-2') => command('RegenerateQrCode', { qrCode, qrUrl: `https://ptvem.test/p/${qrCode}` }, actorId)
  const revokedFirst = { type: 'QrCodeRevoked', data: { productId: PRODUCT, qrCode: 'qr-1', revokedAt: NOW } } as const

  t.test('the current owner revokes the old code and gets a new one', async () => {
    given(ownedByAlice).when(regenerate(ALICE)).then([revokedFirst, qrIssued('qr-2', NOW)])
  })
  t.test('the brand may regenerate after it sold the product', async () => {
    given(ownedByAlice).when(regenerate(BRAND)).then([revokedFirst, qrIssued('qr-2', NOW)])
  })
  t.test('refuses anyone else, past owners included', async () => {
    given(ownedByAlice).when(regenerate(BOB)).thenThrows(Forbidden, 'brand or the current owner')
    given([...ownedByAlice, { type: 'OwnershipTransferred', data: { productId: PRODUCT, fromUserId: ALICE, toUserId: BOB, via: 'transfer', at: NOW } }])
      .when(regenerate(ALICE))
      .thenThrows(Forbidden)
  })
  t.test('refuses to reissue a revoked code', async () => {
    given([...ownedByAlice, revokedFirst, qrIssued('qr-2', NOW)]).when(regenerate(ALICE, 'qr-1')).thenThrows(RuleViolated, 'cannot be issued again')
  })
  t.test('refuses to reissue the current code', async () => {
    given(ownedByAlice).when(regenerate(ALICE, 'qr-1')).thenThrows(RuleViolated, 'cannot be issued again')
  })
})

t.test('every command on an unknown product is NotFound', async t => {
  const commands = [
    command('RegenerateQrCode', { qrCode: 'q', qrUrl: 'u' }, ALICE),
    command('TransferOwnership', { toUserId: BOB }, ALICE),
    command('IssueClaimCode', { claimCodeHash: 'h', expiresAt: ALICE_FROM }, ALICE),
    command('ClaimProduct', { claimCodeHash: 'h' }, ALICE),
    command('ChangeConsent', { visibility: 'hidden' }, ALICE),
    command('SubmitStory', { storyId: STORY, title: 't', body: 'b', occurredAt: ALICE_FROM, mediaIds: [] }, ALICE),
    command('EditStory', { storyId: STORY, title: 't' }, ALICE),
    command('DeleteStory', { storyId: STORY }, ALICE),
    command('ModerateStory', { storyId: STORY, decision: 'approve' }, ALICE, { roles: ['moderator'] }),
    command('ListProduct', { listingId: LISTING, price: eur(100), condition: 'good', suggestedPrice: null }, ALICE),
    command('UpdateListing', { listingId: LISTING, price: eur(100) }, ALICE),
    command('WithdrawListing', { listingId: LISTING }, ALICE),
    command('ReserveListing', { listingId: LISTING, transactionId: TRANSACTION, expiresAt: ALICE_FROM }, ALICE),
    command('ConfirmPurchase', { transactionId: TRANSACTION, paymentReference: 'pay' }, ALICE),
    command('CancelReservation', { transactionId: TRANSACTION }, ALICE),
    command('ExpireReservation', { transactionId: TRANSACTION }, ALICE),
  ]
  for (const each of commands) t.test(each.type, async () => given([]).when(each).thenThrows(NotFound, 'product not found'))
})

t.test('FlagScanAnomaly', async t => {
  const flag = (qrCode = 'qr-1') => command('FlagScanAnomaly', { qrCode, networks: 6, threshold: 5, windowMinutes: 60 }, 'system', { roles: [] })
  const detected = (qrCode = 'qr-1', ownerId = ALICE) => ({
    type: 'ScanAnomalyDetected' as const,
    data: { productId: PRODUCT, qrCode, networks: 6, threshold: 5, windowMinutes: 60, brandId: BRAND, ownerId, detectedAt: NOW },
  })

  t.test('flags a code scanned from too many networks, naming the brand and the owner to tell', async () => {
    given(ownedByAlice).when(flag()).then([detected()])
  })
  t.test('flags a code once', async () => {
    given([...ownedByAlice, detected()]).when(flag()).thenNothingHappened()
  })
  t.test('flags a revoked code too, and a new code is not flagged by it', async () => {
    const reissued = [...ownedByAlice, { type: 'QrCodeRevoked' as const, data: { productId: PRODUCT, qrCode: 'qr-1', revokedAt: NOW } }, qrIssued('qr-2', NOW)]
    given(reissued).when(flag('qr-1')).then([detected('qr-1')])
    given([...reissued, detected('qr-1')]).when(flag('qr-2')).then([detected('qr-2')])
  })
  t.test('refuses a code never issued for the product, and an unknown product', async () => {
    given(ownedByAlice).when(flag('qr-9')).thenThrows(RuleViolated, 'not issued for this product')
    given([]).when(flag()).thenThrows(NotFound, 'product not found')
  })
})
