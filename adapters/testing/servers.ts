import { randomUUID } from 'node:crypto'
import { MongoClient } from 'mongodb'
import type { Test } from 'tap'

/**
 * The settings of the real servers an integration spec runs against, from the environment. When some are
 * unset the spec is skipped with the reason, except under CI (CI=true), where that is a failure.
 */
export const serverSettings = <Name extends string>(t: Test, names: readonly Name[]): Record<Name, string> | null => {
  const missing = names.filter(name => !process.env[name])
  if (missing.length === 0) return Object.fromEntries(names.map(name => [name, process.env[name]])) as Record<Name, string>
  const reason = `${missing.join(', ')} not set`
  if (process.env.CI === 'true') t.fail(`${reason}: under CI the integration specs must reach real servers`)
  else t.plan(0, reason)
  return null
}

/** A MongoDB database of the spec's own on the server `mongodbUrl` names, dropped when the spec ends: runs leave nothing behind. */
export function ownMongoDatabase(t: Test, mongodbUrl: string, prefix: string): string {
  const url = new URL(mongodbUrl)
  url.pathname = `/${prefix}_${randomUUID().slice(0, 8)}`
  t.teardown(async () => {
    const client = await MongoClient.connect(url.href)
    await client.db().dropDatabase()
    await client.close()
  })
  return url.href
}
