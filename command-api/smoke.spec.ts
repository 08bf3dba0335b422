import t from 'tap'
import { registerUser } from '../test/harness.ts'
import { call, testApp } from './specSupport.ts'

const { app } = await testApp(t)
const u = await registerUser(app)
for (const [payload, ct] of [
  ['garbage', 'multipart/form-data; boundary=XX'],
  ['--XX\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\nabc', 'multipart/form-data; boundary=XX'],
  ['--XX\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\nabc\r\n--XX--\r\n', 'multipart/form-data'],
  ['', 'multipart/form-data; boundary=XX'],
  ['--XX--\r\n', 'multipart/form-data; boundary=XX'],
  ['x', 'image/png'],
  ['{}', 'application/json'],
] as const) {
  const r = await call(app, 'POST', '/media', { as: u, payload, headers: { 'content-type': ct } })
  console.log(JSON.stringify(payload).slice(0, 40), r.statusCode, r.body)
}
t.pass()
