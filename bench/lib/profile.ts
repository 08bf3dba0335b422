/**
 * Reads a V8 .cpuprofile (node --cpu-prof) and sums where the time went: self time by origin (a package, the
 * project's own folders, Node's internals, GC, idle), the functions with the most self time, and the project
 * functions with the most inclusive time (each sample counted once per function on its stack).
 */
import { readFile } from 'node:fs/promises'
import type { ProfileResult } from './results.ts'

interface CallFrame {
  functionName: string
  url: string
  lineNumber: number
}

interface ProfileNode {
  id: number
  callFrame: CallFrame
  children?: number[]
}

interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
  startTime: number
  endTime: number
}

const projectRoot = new URL('../..', import.meta.url).href

function origin(url: string): string | null {
  if (!url) return null
  const modules = url.lastIndexOf('/node_modules/')
  if (modules >= 0) {
    const [scope, name] = url.slice(modules + '/node_modules/'.length).split('/')
    return scope?.startsWith('@') ? `${scope}/${name}` : scope!
  }
  if (url.startsWith('node:')) return 'node (internals)'
  if (isProject(url)) return `project ${url.slice(projectRoot.length).split('/')[0]}/`
  return url
}

const SPECIAL: Record<string, string> = {
  '(garbage collector)': 'GC',
  '(idle)': 'idle (waiting for I/O)',
  '(program)': '(program: V8/native outside JS functions)',
  '(root)': '(root)',
}

const isProject = (url: string) => url.startsWith(projectRoot) && !url.includes('/node_modules/')

/** File and line; only the file for the project's TypeScript, whose line numbers are those of tsx's output. */
const where = (frame: CallFrame): string => {
  if (!frame.url) return 'native'
  if (isProject(frame.url)) return frame.url.slice(projectRoot.length)
  const short = frame.url.includes('/node_modules/') ? frame.url.slice(frame.url.lastIndexOf('/node_modules/') + '/node_modules/'.length) : frame.url
  return `${short}:${frame.lineNumber + 1}`
}

/** `window`: process.hrtime.bigint() values (any process: both are the monotonic clock) bounding the samples counted. */
export async function analyzeProfile(
  file: string,
  target: string,
  load: string,
  window?: { from: bigint; to: bigint },
  top = 20,
): Promise<ProfileResult> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile
  const byId = new Map(profile.nodes.map(node => [node.id, node]))
  const parent = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)

  // A node's category: its own origin, or for a native frame (a builtin, or a C++ addon such as
  // better-sqlite3's statements) "native ← " the origin of the nearest JS caller.
  const categoryCache = new Map<number, string>()
  const categoryOf = (id: number): string => {
    const known = categoryCache.get(id)
    if (known) return known
    const frame = byId.get(id)!.callFrame
    let category = SPECIAL[frame.functionName] ?? origin(frame.url)
    if (category === null) {
      let up = parent.get(id)
      while (up !== undefined && !byId.get(up)!.callFrame.url) up = parent.get(up)
      const caller = up === undefined ? null : origin(byId.get(up)!.callFrame.url)
      category = `native ← ${caller ?? '?'}`
    }
    categoryCache.set(id, category)
    return category
  }

  const selfById = new Map<number, number>()
  const inclusiveByKey = new Map<string, number>()
  let total = 0
  const [from, to] = window ? [Number(window.from / 1000n), Number(window.to / 1000n)] : [-Infinity, Infinity]
  let at = profile.startTime
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!
    at += profile.timeDeltas[i] ?? 0
    if (at < from || at > to) continue
    const ms = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000
    total += ms
    selfById.set(id, (selfById.get(id) ?? 0) + ms)
    const seen = new Set<string>()
    for (let up: number | undefined = id; up !== undefined; up = parent.get(up)) {
      const frame = byId.get(up)!.callFrame
      if (!isProject(frame.url)) continue
      const key = `${frame.functionName || '(anonymous)'}\u0000${where(frame)}`
      if (seen.has(key)) continue
      seen.add(key)
      inclusiveByKey.set(key, (inclusiveByKey.get(key) ?? 0) + ms)
    }
  }

  const byCategory = new Map<string, number>()
  const byFunction = new Map<string, number>()
  for (const [id, ms] of selfById) {
    const frame = byId.get(id)!.callFrame
    byCategory.set(categoryOf(id), (byCategory.get(categoryOf(id)) ?? 0) + ms)
    const key = `${frame.functionName || '(anonymous)'}\u0000${frame.url ? where(frame) : categoryOf(id)}`
    byFunction.set(key, (byFunction.get(key) ?? 0) + ms)
  }
  const rows = (map: Map<string, number>, limit: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([key, ms]) => {
        const [fn, at] = key.split('\u0000') as [string, string]
        return { fn, where: at, ms, share: ms / total }
      })

  return {
    target,
    load,
    file,
    totalMs: total,
    byCategory: [...byCategory]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 16)
      .map(([category, ms]) => ({ category, ms, share: ms / total })),
    topFunctions: rows(byFunction, top),
    inclusive: rows(inclusiveByKey, top),
  }
}
