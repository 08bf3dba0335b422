import t from 'tap'
import { requestIds, ulidFactory } from './ids.ts'

t.test('request ids differ within a process and between processes, in the characters a correlation id may hold', async t => {
  const newId = ulidFactory()
  const [one, other] = [requestIds(newId), requestIds(newId)]
  const ids = Array.from({ length: 2000 }, () => [one(), other()]).flat()
  t.equal(new Set(ids).size, ids.length)
  t.ok(ids.every(id => /^[A-Za-z0-9._:-]{1,64}$/.test(id)), `ids such as ${ids.slice(0, 2).join(', ')} are correlation ids`)
})
