import t from 'tap'
import { Forbidden, NotFound, RuleViolated } from '../errors.ts'
import { spec } from '../testing/spec.ts'
import type { CreateProduct } from './commands.ts'
import { ALICE, BRAND, CREATED_AT, NOW, PRODUCT, command, ownedByAlice, passport } from './testing/fixtures.ts'
import type { PassportDataUpdated } from './lifecycleEvents.ts'
import { productDecider } from './index.ts'
import { evolve } from './state.ts'
import { fold } from '../decider.ts'

const { given } = spec(productDecider)
const data = { care: 'Wash cold', repairInstructions: 'Spare buttons inside', substancesOfConcern: [{ name: 'Lead', casNumber: '7439-92-1' }] }
const updated = (fields: object, updatedAt = NOW): PassportDataUpdated => ({
  type: 'PassportDataUpdated',
  data: { productId: PRODUCT, ...fields, updatedBy: BRAND, updatedAt },
})

t.test('SetPassportData', async t => {
  t.test('the product’s brand sets passport data, whoever owns the product', async () => {
    given(ownedByAlice).when(command('SetPassportData', data, BRAND, { roles: ['brand'] })).then([updated(data)])
  })
  t.test('refuses the owner and other brands', async () => {
    given(ownedByAlice).when(command('SetPassportData', data, ALICE)).thenThrows(Forbidden, 'only the product’s brand')
    given(ownedByAlice).when(command('SetPassportData', data, 'brand-2', { roles: ['brand'] })).thenThrows(Forbidden)
  })
  t.test('refuses an empty update and an unknown product', async () => {
    given(ownedByAlice).when(command('SetPassportData', {}, BRAND)).thenThrows(RuleViolated, 'no passport data')
    given([]).when(command('SetPassportData', data, BRAND)).thenThrows(NotFound)
  })
  t.test('later fields replace earlier ones; the others stay', async t => {
    const state = fold(productDecider, [...passport, updated(data), updated({ care: 'Dry clean only' })])
    t.same(state.passportData, { ...data, care: 'Dry clean only' })
    t.equal(evolve(state, updated({ legalName: 'Atelier SA' })).passportData.legalName, 'Atelier SA')
  })
})

t.test('CreateProduct with passport data appends it as an event of its own', async () => {
  const create = command(
    'CreateProduct',
    { brandId: BRAND, brandName: 'Atelier', brand: { verified: true, gs1CompanyPrefixes: [] }, name: 'Wool coat', serialNumber: 'SN-1', qrCode: 'qr-1', qrUrl: 'https://ptvem.test/p/qr-1', passportData: { care: 'Wash cold' } } as Omit<CreateProduct['data'], 'productId'>,
    BRAND,
    { roles: ['brand'], now: CREATED_AT },
  )
  const { originalPrice: _price, ...createdWithoutPrice } = passport[0]!.data as Record<string, unknown>
  given([]).when(create).then([{ type: 'ProductCreated', data: createdWithoutPrice } as never, passport[1]!, updated({ care: 'Wash cold' }, CREATED_AT)])
})
