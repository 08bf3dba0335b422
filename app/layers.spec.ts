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

/** The modules a module imports, by relative path, as paths from the repository root: at load (`import '...'` for its effects too) or when first needed (`import('...')`). */
function importedModules(module: string): string[] {
  const source = readFileSync(join(root, module), 'utf8')
  const atLoad = [...source.matchAll(/^(?:import|export)\b(?:[^'"]*?from )?\s*'(\.{1,2}\/[^']+)'/gm)]
  const onDemand = [...source.matchAll(/\bimport\('(\.{1,2}\/[^']+)'\)/g)]
  const specifiers = [...atLoad, ...onDemand].map(match => match[1]!)
  return specifiers.map(specifier => relative(root, join(root, module, '..', specifier)))
}

/** The top-level folders a module imports from. */
const importedFolders = (module: string): string[] => importedModules(module).map(path => path.split('/')[0]!)

const everyFolderBut = (own: string): string[] =>
  readdirSync(root, { withFileTypes: true })
    .filter(entry => entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== own && entry.name !== 'node_modules')
    .map(entry => entry.name)

const rules: { folder: string; mustNotImport: string[]; except?: RegExp }[] = [
  { folder: 'domain', mustNotImport: everyFolderBut('domain') },
  // Rules never read projections: the command side sees the log, not what was derived from it.
  { folder: 'command-api', mustNotImport: ['readmodels', 'projectors', 'query-api'], except: /^command-api\/main\.ts$/ },
  { folder: 'query-api', mustNotImport: ['command-api', 'projectors'], except: /^query-api\/main\.ts$/ },
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

/** Every module `module` reaches through its imports, itself included. */
function reachable(module: string, seen = new Set<string>()): Set<string> {
  if (seen.has(module)) return seen
  seen.add(module)
  for (const imported of importedModules(module)) reachable(imported, seen)
  return seen
}

/** A module that registers HTTP routes. */
const isRouteModule = (module: string): boolean => /\bapp\.(get|post|put|patch|delete|route)\b/.test(readFileSync(join(root, module), 'utf8'))

t.test('cli/ reaches no route module through its imports', async t => {
  const offending = modules('cli').flatMap(module => [...reachable(module)].filter(isRouteModule).map(route => `${module} → ${route}`))
  t.same(offending, [])
})
