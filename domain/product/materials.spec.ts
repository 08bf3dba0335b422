import t from 'tap'
import { materialsAddUp } from './materials.ts'

t.test('materials must add up to 100 percent', async t => {
  t.ok(materialsAddUp([{ fibre: 'cotton', percent: 100 }]))
  t.ok(materialsAddUp([{ fibre: 'cotton', percent: 95 }, { fibre: 'elastane', percent: 5 }]))
  t.ok(materialsAddUp([33.3, 33.3, 33.4].map(percent => ({ fibre: 'x', percent }))))
  t.notOk(materialsAddUp([]))
  t.notOk(materialsAddUp([{ fibre: 'cotton', percent: 90 }]))
  t.notOk(materialsAddUp([{ fibre: 'cotton', percent: 60 }, { fibre: 'wool', percent: 50 }]))
  t.notOk(materialsAddUp([{ fibre: 'cotton', percent: 110 }, { fibre: 'wool', percent: -10 }]))
  t.notOk(materialsAddUp([{ fibre: 'cotton', percent: 100 }, { fibre: 'wool', percent: 0 }]))
})
