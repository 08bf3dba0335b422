import t from 'tap'
import Fastify from 'fastify'
import { registerErrorHandling } from './errors.ts'
import { ifMatchRevision, setETag } from './etag.ts'

const app = Fastify()
registerErrorHandling(app)
app.post('/pinned', async (request, reply) => {
  setETag(reply, 7)
  return { ifMatch: ifMatchRevision(request) ?? 'any' }
})
t.teardown(() => app.close())

const send = (ifMatch?: string) => app.inject({ method: 'POST', url: '/pinned', headers: ifMatch === undefined ? {} : { 'if-match': ifMatch } })

t.test('If-Match pins a revision; without it, or with *, any revision will do', async t => {
  t.same((await send('"12"')).json(), { ifMatch: 12 })
  t.same((await send(' "0" ')).json(), { ifMatch: 0 })
  t.same((await send()).json(), { ifMatch: 'any' })
  t.same((await send('*')).json(), { ifMatch: 'any' }, '* is "any current revision", not a malformed ETag')
  t.equal((await send('*')).headers.etag, '"7"')
})

t.test('anything else is a 400 naming the header', async t => {
  for (const header of ['W/"12"', '12', '"12", "13"', '"x"', '**', '']) {
    const response = await send(header)
    t.equal(response.statusCode, 400, JSON.stringify(header))
    t.match(response.json(), { errors: [{ path: '/headers/if-match' }] })
  }
})
