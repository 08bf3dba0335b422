/** The direction of dependencies DESIGN.md draws, checked on the imports of every module (specs aside). */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import t from 'tap'

const root = new URL('../', import.meta.url).pathname

function modules(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
    .filter(file => file.endsWith('.ts') && !file.endsWith('.spec.ts'))
    .map(file => join(folder, file))
}

/** The top-level folders a module imports from, by relative path. */
function importedFolders(module: string): string[] {
  const source = readFileSync(join(root, module), 'utf8')
  const specifiers = [...source.matchAll(/^(?:import|export)\b[^'"]*?from '(\.{1,2}\/[^']+)'/gm)].map(match => match[1]!)
  return specifiers.map(specifier => relative(root, join(root, module, '..', specifier)).split('/')[0]!)
}

const rules: { folder: string; mustNotImport: string[]; except?: RegExp }[] = [
  // Entry points (main.ts) start a process, which is app/'s to do.
  { folder: 'projectors', mustNotImport: ['app', 'http', 'command-api', 'query-api'], except: /^projectors\/main\.ts$/ },
  { folder: 'http', mustNotImport: ['command-api', 'query-api', 'projectors'] },
  { folder: 'eventlog', mustNotImport: ['app', 'http', 'command-api', 'query-api', 'projectors', 'readmodels', 'adapters', 'domain'] },
]

for (const { folder, mustNotImport, except } of rules) {
  t.test(`${folder}/ imports nothing from ${mustNotImport.join(', ')}`, async t => {
    const offending = modules(folder)
      .filter(module => !except?.test(module))
      .flatMap(module => importedFolders(module).filter(imported => mustNotImport.includes(imported)).map(imported => `${module} → ${imported}/`))
    t.same(offending, [])
  })
}
