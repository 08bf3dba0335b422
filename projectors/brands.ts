/** brands: every brand application with its status, for the admin's list, the brand's public page and the scan's verdict. */
import { collections, type BrandDoc } from '../readmodels/documents.ts'
import { defineProjection } from './projection.ts'
import { create, patch } from './write.ts'

export const brandsProjection = defineProjection({
  name: 'brands',
  collections: [{ name: collections.brands, indexes: [['status', 'appliedAt'], ['appliedAt']] }],
  on: {
    UserRegistered: async (event, store) => {
      const { userId, accountType, brandName, registeredAt } = event.data
      if (accountType !== 'brand' || brandName === undefined) return
      await create<BrandDoc>(store, collections.brands, event, {
        id: userId,
        userId,
        brandName,
        status: 'pending',
        appliedAt: registeredAt,
        verifiedAt: null,
        gs1CompanyPrefixes: [],
      })
    },
    BrandVerified: (event, store) =>
      patch<BrandDoc>(store, collections.brands, event.data.userId, event, () => ({
        brandName: event.data.brandName,
        status: 'verified',
        verifiedAt: event.data.verifiedAt,
        gs1CompanyPrefixes: event.data.gs1CompanyPrefixes,
      })),
    Gs1CompanyPrefixesGranted: (event, store) =>
      patch<BrandDoc>(store, collections.brands, event.data.userId, event, doc => ({
        gs1CompanyPrefixes: [...doc.gs1CompanyPrefixes, ...event.data.gs1CompanyPrefixes],
      })),
    BrandRejected: (event, store) => patch<BrandDoc>(store, collections.brands, event.data.userId, event, () => ({ status: 'rejected' })),
    BrandVerificationRevoked: (event, store) =>
      patch<BrandDoc>(store, collections.brands, event.data.userId, event, () => ({ status: 'rejected', gs1CompanyPrefixes: [] })),
  },
})
