/** What docker-compose.yml and the Dockerfile promise a deployment: no secret it did not choose, no root. */
import { readFileSync } from 'node:fs'
import t from 'tap'

const root = new URL('../', import.meta.url)
const compose = readFileSync(new URL('docker-compose.yml', root), 'utf8')
const dockerfile = readFileSync(new URL('Dockerfile', root), 'utf8')

t.test('docker-compose.yml makes the deployment set every secret: none has a default', async t => {
  for (const name of ['JWT_SECRET', 'SIGNING_SECRET', 'ADMIN_PASSWORD']) {
    const value = new RegExp(`^\\s+${name}: (.*)$`, 'm').exec(compose)?.[1]
    t.match(value, new RegExp(`^\\$\\{${name}:\\?[^}]+\\}$`), `${name} is required, with a message`)
  }
})

t.test('docker-compose.yml moves /metrics to an operations port it does not publish', async t => {
  const port = /^\s+METRICS_PORT: \$\{METRICS_PORT:-(\d+)\}$/m.exec(compose)?.[1]
  t.ok(port, 'METRICS_PORT is set')
  t.notMatch(compose, new RegExp(`ports: \\[.*"${port}:`), 'and no service publishes it')
})

t.test('the image runs as the unprivileged node user', async t => {
  const keywords = dockerfile.split('\n').flatMap(line => /^([A-Z]+) /.exec(line)?.[1] ?? [])
  const user = keywords.lastIndexOf('USER')
  t.match(dockerfile, /^USER node$/m)
  t.ok(user > keywords.lastIndexOf('RUN'), 'after the last RUN, so that nothing after it runs as root')
  t.ok(user < keywords.indexOf('CMD'), 'before the CMD')
})

t.test('every process runs its built bundle with a capped heap: npm start, the three entry points, and so the compose services', async t => {
  const { scripts } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { scripts: Record<string, string> }
  t.match(dockerfile, /^RUN npm run build$/m, 'the image holds the bundles')
  for (const script of ['start', 'start:command-api', 'start:query-api', 'start:projectors']) {
    t.match(scripts[script], /^node --max-old-space-size=\d+ dist\/[\w-]+\.js$/, script)
    t.equal(scripts[`pre${script}`], 'node scripts/build.mjs', `${script} builds first`)
    const image = script === 'start' ? /CMD \["npm", "start", "--ignore-scripts"\]/ : new RegExp(`"npm", "run", "--ignore-scripts", "${script}"`)
    t.match(compose + dockerfile, image, `${script} is what the image runs, on the bundles built into it`)
  }
})
