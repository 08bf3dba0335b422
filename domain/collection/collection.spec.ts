import t from 'tap'
import { Conflict, Forbidden, NotFound, RuleViolated } from '../errors.ts'
import { spec } from '../testing/spec.ts'
import type { AddDesign, CollectionCommand, CreateCollection } from './commands.ts'
import type { CollectionCreated, DesignAdded } from './events.ts'
import { collectionDecider } from './index.ts'

const { given } = spec(collectionDecider)
const NOW = '2024-06-01T12:00:00.000Z'
const BRAND = 'brand-1'
const COLLECTION = 'col-1'

type CommandOf<Type extends CollectionCommand['type']> = Extract<CollectionCommand, { type: Type }>
const command = <Type extends CollectionCommand['type']>(type: Type, data: CommandOf<Type>['data'], actorId = BRAND, roles = ['brand']) =>
  ({ type, data, metadata: { actorId, roles, now: NOW } }) as unknown as CommandOf<Type>

const collection: CreateCollection['data'] = { collectionId: COLLECTION, brandId: BRAND, brandName: 'Atelier', name: 'Winter 24', season: 'AW24' }
const created: CollectionCreated = { type: 'CollectionCreated', data: { ...collection, createdAt: NOW } }
const design: AddDesign['data'] = { collectionId: COLLECTION, designId: 'des-1', name: 'Wool coat', materials: [{ fibre: 'wool', percent: 100 }] }
const added: DesignAdded = { type: 'DesignAdded', data: { ...design, addedAt: NOW } }

t.test('CreateCollection', async t => {
  t.test('a brand creates a collection', async () => {
    given([]).when(command('CreateCollection', collection)).then([created])
  })
  t.test('drops optional fields passed as undefined', async () => {
    given([]).when(command('CreateCollection', { ...collection, description: undefined })).then([created])
  })
  t.test('refuses a user without the brand role', async () => {
    given([]).when(command('CreateCollection', collection, BRAND, ['consumer'])).thenThrows(Forbidden, 'only a brand')
  })
  t.test("refuses to create another brand's collection", async () => {
    given([]).when(command('CreateCollection', { ...collection, brandId: 'brand-2' })).thenThrows(Forbidden, 'its own collections')
  })
  t.test('refuses a collection that exists', async () => {
    given([created]).when(command('CreateCollection', collection)).thenThrows(Conflict, 'collection already exists')
  })
})

t.test('AddDesign', async t => {
  t.test("the collection's brand adds a design", async () => {
    given([created]).when(command('AddDesign', design)).then([added])
  })
  t.test('a design may come without materials', async () => {
    const { materials: _none, ...plain } = design
    given([created]).when(command('AddDesign', plain)).then([{ type: 'DesignAdded', data: { ...plain, addedAt: NOW } }])
  })
  t.test('refuses another brand', async () => {
    given([created]).when(command('AddDesign', design, 'brand-2')).thenThrows(Forbidden, "only the collection's brand")
  })
  t.test('refuses an unknown collection', async () => {
    given([]).when(command('AddDesign', design)).thenThrows(NotFound, 'collection not found')
  })
  t.test('refuses a design id that is taken', async () => {
    given([created, added]).when(command('AddDesign', design)).thenThrows(Conflict, 'design already exists')
  })
  t.test('refuses materials that do not add up to 100 percent', async () => {
    const materials = [{ fibre: 'wool', percent: 60 }, { fibre: 'silk', percent: 30 }]
    given([created]).when(command('AddDesign', { ...design, materials })).thenThrows(RuleViolated, 'add up to 100')
  })
})
