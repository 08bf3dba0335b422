/** collections: a brand's collections with their designs. */
import { collections, type CollectionDoc } from '../readmodels/documents.ts'
import { defineProjection } from './projection.ts'
import { create, patch } from './write.ts'

export const collectionsProjection = defineProjection({
  name: 'collections',
  collections: [{ name: collections.collections, indexes: [['brandId', 'createdAt'], ['createdAt']] }],
  on: {
    CollectionCreated: (event, store) => {
      const { collectionId, brandId, brandName, name, season, description, createdAt } = event.data
      return create<CollectionDoc>(store, collections.collections, event, {
        id: collectionId,
        collectionId,
        brandId,
        brandName,
        name,
        season,
        description,
        designs: [],
        createdAt,
      })
    },
    DesignAdded: (event, store) => {
      const { collectionId, designId, name, description, materials } = event.data
      return patch<CollectionDoc>(store, collections.collections, collectionId, event, doc => ({
        designs: [...doc.designs, { designId, name, description, materials }],
      }))
    },
  },
})
