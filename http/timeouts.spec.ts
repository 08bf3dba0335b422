import { connect, type Socket } from 'node:net'
import t from 'tap'
import { loadConfig } from '../app/config.ts'
import { multipart, PNG } from '../command-api/testing/specSupport.ts'
import { bearer, buildTestApp, registerUser } from '../test/testing/harness.ts'

const timeouts = { headers: 300, request: 600, upload: 3000, keepAlive: 300, idle: 2000 }
const limits = { ...loadConfig({ DATA_DIR: t.testdir() }).limits, timeouts }
const { app, close } = await buildTestApp({ config: { limits } })
t.teardown(close)
const user = await registerUser(app)
const address = new URL(await app.listen({ port: 0, host: '127.0.0.1' }))

/** A raw connection, and when (ms after opening) the server closed it, with what it had answered by then. */
function open(): { socket: Socket; closed: Promise<{ after: number; received: string }> } {
  const socket = connect(Number(address.port), '127.0.0.1')
  const opened = Date.now()
  let received = ''
  socket.setEncoding('utf8').on('data', chunk => (received += chunk))
  socket.on('error', () => {})
  return { socket, closed: new Promise(resolve => socket.on('close', () => resolve({ after: Date.now() - opened, received }))) }
}

/** Writes the parts one every `everyMs`, stopping when the socket is closed. */
async function trickle(socket: Socket, parts: readonly (string | Buffer)[], everyMs: number): Promise<void> {
  for (const part of parts) {
    if (socket.destroyed) return
    socket.write(part)
    await new Promise(resolve => setTimeout(resolve, everyMs))
  }
}

t.test('slowloris: headers still arriving after the headers timeout are cut off', async t => {
  const { socket, closed } = open()
  const headerLines = ['GET /health HTTP/1.1\r\n', 'Host: x\r\n', ...Array.from({ length: 100 }, (_, i) => `X-Slow-${i}: y\r\n`)]
  void trickle(socket, headerLines, 50)
  const { after, received } = await closed
  t.ok(after < 2000, `closed after ${after} ms`)
  t.notMatch(received, /200 OK/, 'never answered')
})

t.test('a slow body on an ordinary route is cut off after the request timeout', async t => {
  const { socket, closed } = open()
  const body = JSON.stringify({ email: 'someone@example.test', password: 'a password' })
  const head = `POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`
  void trickle(socket, [head, ...body.split('')], 50)
  const { after } = await closed
  t.ok(after >= timeouts.request && after < timeouts.upload, `closed after ${after} ms`)
})

t.test('an upload may take longer: a body sent over 1.5 s is stored', async t => {
  const { socket, closed } = open()
  const { payload, headers } = multipart(PNG, 'slow.png', 'image/png')
  const head = [
    'POST /api/media HTTP/1.1', 'Host: x', 'Connection: close', `Authorization: ${bearer(user.token).authorization}`,
    `Content-Type: ${headers['content-type']}`, `Content-Length: ${payload.length}`, '', '',
  ].join('\r\n')
  const chunks = Array.from({ length: 10 }, (_, i) => payload.subarray(Math.floor((i * payload.length) / 10), Math.floor(((i + 1) * payload.length) / 10)))
  void trickle(socket, [head, ...chunks], 150)
  const { after, received } = await closed
  t.match(received, /^HTTP\/1\.1 201 /, `answered 201 after ${after} ms`)
  t.ok(after > timeouts.request)
})

t.test('an idle keep-alive connection is closed after the keep-alive timeout', async t => {
  const { socket, closed } = open()
  socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n')
  const { after, received } = await closed
  t.match(received, /^HTTP\/1\.1 200 /)
  t.ok(after < timeouts.idle, `closed after ${after} ms`)
})

t.test('a connection that sends nothing is closed after the headers timeout', async t => {
  const { closed } = open()
  const { after } = await closed
  t.ok(after < 2000, `closed after ${after} ms`)
})
