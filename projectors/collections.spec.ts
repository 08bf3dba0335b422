import t from 'tap'
import { collections, type CollectionDoc } from '../readmodels/documents.ts'
import { ids, scenario } from './testing/scenario.ts'
import { projected } from './testing/store.ts'

const { events, e } = scenario()

t.test('a collection gathers its designs', async t => {
  const store = await projected(events)
  t.strictSame(await store.get<CollectionDoc>(collections.collections, ids.collection), {
    id: ids.collection,
    collectionId: ids.collection,
    brandId: ids.brand,
    brandName: 'Maison Verte',
    name: 'Summer linen',
    season: 'SS25',
    designs: [{ designId: ids.design, name: 'Camp shirt', materials: [{ fibre: 'linen', percent: 100 }] }],
    createdAt: e.collectionCreated.data.createdAt,
    position: e.designAdded.position,
  })
})
